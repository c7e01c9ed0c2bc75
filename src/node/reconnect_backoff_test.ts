import assert from "node:assert/strict";
import { NodeReconnectBackoff } from "./reconnect_backoff.ts";

/** A backoff on a hand-driven clock whose random draw is always `r` (just below 1 by default). */
function fixture(r = 0.999999) {
  const clock = { t: 0 };
  const b = new NodeReconnectBackoff({ random: () => r, now: () => clock.t });
  return { b, clock };
}

Deno.test("NodeReconnectBackoff: the first delay after a close is jittered below baseMs", () => {
  const draws = [0, 0.25, 0.999];
  const b = new NodeReconnectBackoff({ random: () => draws.shift()!, now: () => 0 });
  assert.deepEqual([b.afterClose(60_000), b.afterClose(60_000), b.afterClose(60_000)], [
    0,
    250,
    999,
  ]);
});

Deno.test("NodeReconnectBackoff: failed attempts wait at most the time the node has been down", () => {
  const { b, clock } = fixture();
  b.afterClose(60_000);
  const delays: number[] = [];
  for (const t of [500, 900, 3_000, 7_000]) {
    clock.t = t;
    delays.push(b.afterFailure());
  }
  assert.deepEqual(delays, [999, 999, 2_999, 6_999]);
  assert.equal(b.attempt, 5);
});

Deno.test("NodeReconnectBackoff: the ceiling is capped and honours retryAfterMs", () => {
  const { b, clock } = fixture(0.5);
  b.afterFailure();
  clock.t = 600_000;
  assert.equal(b.afterFailure(), 15_000);
  assert.equal(b.afterFailure(20_000), 20_000);
  assert.equal(b.afterFailure(90_000), 30_000);
});

Deno.test("NodeReconnectBackoff: a short-lived connection keeps the down time, a stable one resets it", () => {
  const { b, clock } = fixture();
  b.afterClose(60_000); // down since 0
  clock.t = 8_000;
  assert.equal(b.afterClose(2_000), 7_999); // accepted, then dropped at once: still growing
  clock.t = 100_000;
  assert.equal(b.afterClose(30_000), 999); // stable: starts again from baseMs
  assert.equal(b.attempt, 1);
});
