import assert from "node:assert/strict";
import * as v from "valibot";
import { ConnectParamsSchema, decodeFrame, formatIssues, hasScope, requiredScope } from "./mod.ts";

const wire = (name: string) =>
  Deno.readTextFileSync(new URL(`../../tests/fixtures/wire/${name}`, import.meta.url)).trim().split(
    "\n",
  ).slice(1)
    .map((l) => JSON.parse(l));

Deno.test("decodeFrame() rejects invalid JSON and unknown frame shapes", () => {
  assert.equal(decodeFrame("{").ok, false);
  assert.equal(decodeFrame('{"type":"req","id":"1"}').ok, false);
  assert.equal(decodeFrame('{"type":"req","id":"1","method":"x","extra":1}').ok, false);
  assert.equal(decodeFrame('{"type":"res","id":"1","ok":true}').ok, true);
});

Deno.test("every frame in the real OpenClaw transcripts decodes, and every connect validates", () => {
  let frames = 0;
  let connects = 0;
  for (const entry of Deno.readDirSync(new URL("../../tests/fixtures/wire/", import.meta.url))) {
    if (!entry.name.endsWith(".jsonl")) continue;
    for (const rec of wire(entry.name)) {
      if (!rec.frame) continue;
      const r = decodeFrame(JSON.stringify(rec.frame));
      assert.ok(r.ok, `${entry.name} seq ${rec.seq}: ${!r.ok && r.message}`);
      frames++;
      if (
        rec.frame.type === "req" && rec.frame.method === "connect" &&
        rec.frame.params?.minProtocol !== 99
      ) {
        const p = v.safeParse(ConnectParamsSchema, rec.frame.params);
        assert.ok(
          p.success,
          `${entry.name} seq ${rec.seq}: ${!p.success && formatIssues(p.issues)}`,
        );
        connects++;
      }
    }
  }
  assert.ok(frames > 100 && connects > 10, `${frames} frames, ${connects} connects`);
});

Deno.test("requiredScope() and hasScope() follow protocol.md §5.1", () => {
  assert.equal(requiredScope("health"), null);
  assert.equal(requiredScope("status"), "operator.read");
  assert.equal(requiredScope("node.invoke"), "operator.write");
  assert.equal(requiredScope("node.pair.approve"), "operator.pairing");
  assert.equal(requiredScope("config.set"), "operator.admin");
  assert.ok(hasScope(["operator.write"], "operator.read"));
  assert.ok(hasScope(["operator.admin"], "operator.pairing"));
  assert.ok(!hasScope(["operator.read"], "operator.write"));
});
