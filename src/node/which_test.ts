import assert from "node:assert/strict";
import { systemWhich, whichBin } from "./which.ts";

Deno.test("systemWhich: finds sh, omits missing bins", async () => {
  const r = await systemWhich(["sh", "no-such-bin-clawgate"]);
  assert.deepEqual(Object.keys(r.bins), ["sh"]);
  assert.ok(r.bins.sh.startsWith("/") && r.bins.sh.endsWith("/sh"));
});

Deno.test("whichBin: skips non-executable files and honours PATH order", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/tool`, "#!/bin/sh\n");
    assert.equal(await whichBin("tool", dir), null);
    await Deno.chmod(`${dir}/tool`, 0o755);
    assert.equal(await whichBin("tool", `/nonexistent:${dir}`), `${dir}/tool`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
