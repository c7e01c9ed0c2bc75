import assert from "node:assert/strict";
import { sleepUnlessWake, WakeWatch } from "./wake_watch.ts";

Deno.test("WakeWatch: drift between wall and monotonic clock beyond the threshold is a wake", () => {
  let wall = 0;
  let mono = 0;
  const w = new WakeWatch({ wall: () => wall, monotonic: () => mono, thresholdMs: 4000 });
  wall += 1000;
  mono += 1000;
  assert.equal(w.jumpMs(), 0, "both clocks advanced: no wake");
  wall += 3000;
  assert.equal(w.jumpMs(), 0, "under the threshold");
  wall += 60_000;
  assert.equal(w.jumpMs(), 60_000, "slept a minute");
  assert.equal(w.jumpMs(), 0, "reported once");
  wall -= 10_000;
  assert.equal(w.jumpMs(), -10_000, "clock set back also counts");
});

Deno.test("sleepUnlessWake: ends at the first slice after a jump, else sleeps the full time", async () => {
  let wall = 0;
  const w = new WakeWatch({ wall: () => wall, monotonic: () => 0 });
  setTimeout(() => (wall = 30_000), 5);
  const started = performance.now();
  assert.equal(await sleepUnlessWake(60_000, new AbortController().signal, w, 20), 30_000);
  assert.ok(performance.now() - started < 30_000);
  assert.equal(await sleepUnlessWake(30, new AbortController().signal, w, 10), 0);
});
