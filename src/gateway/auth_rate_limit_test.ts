import assert from "node:assert/strict";
import { AuthRateLimiter } from "./auth_rate_limit.ts";

Deno.test("AuthRateLimiter: 10 failures in 60 s lock a remote key for 300 s", async () => {
  let now = 1_000_000;
  const l = new AuthRateLimiter({}, () => now);
  for (let i = 0; i < 9; i++) await l.failed("s:10.0.0.1", false);
  assert.deepEqual(l.check("s:10.0.0.1", false), { allowed: true });
  await l.failed("s:10.0.0.1", false);
  assert.deepEqual(l.check("s:10.0.0.1", false), { allowed: false, retryAfterMs: 300_000 });
  assert.deepEqual(l.check("s:10.0.0.2", false), { allowed: true }); // other keys unaffected
  now += 300_000;
  assert.deepEqual(l.check("s:10.0.0.1", false), { allowed: true });
});

Deno.test("AuthRateLimiter: failures older than the window do not count", async () => {
  let now = 0;
  const l = new AuthRateLimiter({}, () => now);
  for (let i = 0; i < 9; i++) await l.failed("k", false);
  now += 60_000;
  await l.failed("k", false);
  assert.deepEqual(l.check("k", false), { allowed: true });
});

Deno.test("AuthRateLimiter: loopback is delayed, never locked out; exemptLoopback:false locks", async () => {
  const l = new AuthRateLimiter({ maxAttempts: 2 });
  await l.failed("k", true);
  await l.failed("k", true);
  assert.deepEqual(l.check("k", true), { allowed: true });
  const strict = new AuthRateLimiter({ maxAttempts: 2, exemptLoopback: false });
  await strict.failed("k", true);
  await strict.failed("k", true);
  assert.equal(strict.check("k", true).allowed, false);
});

Deno.test("AuthRateLimiter: success forgets the key; idle keys are pruned as failures arrive", async () => {
  let now = 0;
  const l = new AuthRateLimiter({}, () => now);
  for (let i = 0; i < 100; i++) await l.failed(`k${i}`, false);
  assert.equal(l.size, 100);
  l.succeeded("k0");
  assert.equal(l.size, 99);
  now += 300_000;
  await l.failed("fresh", false);
  assert.equal(l.size, 1);
});
