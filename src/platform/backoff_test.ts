import assert from "node:assert/strict";
import { Backoff } from "./backoff.ts";

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
