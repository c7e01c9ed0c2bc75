/**
 * Reverse wire conformance on the recorded transcripts (tests/fixtures/wire/, captured between
 * the real OpenClaw gateway, CLI and node host): every frame's envelope, params, payloads and
 * errors parse with clawgate's schemas, checked part by part with the same plan as the
 * live conformance test (tests/helpers/frame_checks.ts). Needs no interop install.
 */
import assert from "node:assert/strict";
import { planChecks, runChecks } from "./helpers/frame_checks.ts";
import type { TappedFrame } from "./helpers/frame_tap.ts";
import { summarize } from "./helpers/frame_report.ts";

const DIR = new URL("./fixtures/wire/", import.meta.url);

/** The transcript's frames as tap records (meta lines and the header dropped). */
function transcript(name: string): TappedFrame[] {
  return Deno.readTextFileSync(new URL(name, DIR)).trim().split("\n").map((l) => JSON.parse(l))
    .filter((r) => r.frame && (r.dir === "c2s" || r.dir === "s2c"))
    .map((r) => ({ conn: r.conn, dir: r.dir, frame: r.frame }));
}

/**
 * Client frames the real gateway refused as malformed (the handshake-error scenarios send
 * them on purpose): clawgate's schemas must reject those too, so they are left out here.
 */
function refusedAsInvalid(frames: TappedFrame[]): Set<number> {
  const out = new Set<number>();
  frames.forEach((t, i) => {
    const f = t.frame as { type?: string; id?: string; ok?: boolean; error?: { message?: string } };
    if (f.type !== "res" || f.ok || !/^invalid .*params/.test(f.error?.message ?? "")) return;
    const req = frames.findIndex((q, j) =>
      j < i && q.conn === t.conn && (q.frame as { id?: string }).id === f.id
    );
    if (req >= 0) out.add(req);
  });
  return out;
}

Deno.test("every frame of the real OpenClaw transcripts parses with clawgate's schemas", async () => {
  const counts: string[] = [];
  let total = 0;
  for (const entry of [...Deno.readDirSync(DIR)].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.name.endsWith(".jsonl")) continue;
    const all = transcript(entry.name);
    const skip = refusedAsInvalid(all);
    const frames = all.filter((_, i) => !skip.has(i));
    const report = summarize(await runChecks(planChecks(frames), { upstream: false }));
    assert.deepEqual(report.ownFailures, [], `${entry.name}: clawgate rejects real frames`);
    counts.push(`${entry.name}: ${report.frames}`);
    total += report.frames;
  }
  assert.ok(total > 100, `only ${total} frames checked: ${counts.join(", ")}`);
});
