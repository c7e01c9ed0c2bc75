import assert from "node:assert/strict";
import { Backoff, reconnectDelayMs } from "./backoff.ts";

Deno.test("Backoff: full jitter under a doubling ceiling capped at 30 s", () => {
  const b = new Backoff({ random: () => 0.999999 });
  const ceilings = Array.from({ length: 8 }, () => b.next(0));
  assert.deepEqual(ceilings, [999, 1999, 3999, 7999, 15999, 29999, 29999, 29999]);
  const zero = new Backoff({ random: () => 0 });
  assert.equal(zero.next(0), 0);
});

Deno.test("Backoff: resets after a run stayed up 60 s", () => {
  const b = new Backoff({ random: () => 0.5 });
  b.next(0);
  b.next(0);
  b.next(0);
  assert.equal(b.attempt, 3);
  assert.equal(b.next(59_999), 4000);
  assert.equal(b.next(60_000), 500);
  assert.equal(b.attempt, 1);
});

Deno.test("reconnectDelayMs: full jitter bounds double up to the cap", () => {
  for (let attempt = 0; attempt < 12; attempt++) {
    const ceiling = Math.min(30_000, 1000 * 2 ** attempt);
    assert.equal(reconnectDelayMs(attempt, { random: () => 0 }), 0);
    const hi = reconnectDelayMs(attempt, { random: () => 0.999999 });
    assert(hi < ceiling && hi >= ceiling - 1, `attempt ${attempt}: ${hi} vs ${ceiling}`);
    assert.equal(reconnectDelayMs(attempt, { random: () => 0.5 }), Math.floor(ceiling / 2));
  }
});

Deno.test("reconnectDelayMs: never above the cap, even with random() = 1", () => {
  assert(reconnectDelayMs(50, { random: () => 1 }) < 30_000);
  assert(reconnectDelayMs(4, { random: () => 1, capMs: 5000 }) < 5000);
});

Deno.test("reconnectDelayMs: retryAfterMs raises the delay but stays capped", () => {
  assert.equal(reconnectDelayMs(0, { random: () => 0, retryAfterMs: 2500 }), 2500);
  assert.equal(reconnectDelayMs(0, { random: () => 0, retryAfterMs: 90_000 }), 30_000);
  assert.equal(reconnectDelayMs(5, { random: () => 0.5, retryAfterMs: 10 }), 15_000);
});
