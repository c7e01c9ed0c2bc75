import assert from "node:assert/strict";
import { LivenessSweep } from "./liveness_sweep.ts";

function peer() {
  const p = { pings: 0, terminated: false, ping: () => void p.pings++, terminate: () => {} };
  p.terminate = () => void (p.terminated = true);
  return p;
}

Deno.test("LivenessSweep pings live sockets and terminates those silent for a whole interval", () => {
  const sweep = new LivenessSweep(60_000);
  const [a, b, c] = [peer(), peer(), peer()];
  for (const p of [a, b, c]) sweep.track(p);
  assert.ok(sweep.running);
  sweep.sweep();
  assert.deepEqual([a.pings, b.pings, c.pings], [1, 1, 1]);
  sweep.seen(a); // pong
  sweep.seen(b); // any message
  sweep.sweep();
  assert.deepEqual([a.terminated, b.terminated, c.terminated], [false, false, true]);
  assert.deepEqual([a.pings, b.pings, c.pings], [2, 2, 1]);
  assert.equal(sweep.size, 2);
  sweep.untrack(a);
  sweep.untrack(b);
  assert.equal(sweep.running, false, "no timer without sockets");
  sweep.seen(a); // after close: ignored, not re-tracked
  assert.equal(sweep.size, 0);
});
