import assert from "node:assert/strict";
import { RpcError } from "../protocol/mod.ts";
import {
  BROWSER_LOGIN_LOCKOUT_MS,
  BROWSER_LOGIN_WINDOW_MS,
  browserLoginKey,
  BrowserLoginLimiter,
} from "./browser_login_limiter.ts";

Deno.test("BrowserLoginLimiter locks a key out after 10 failures in the window", () => {
  let now = 1_000_000;
  const l = new BrowserLoginLimiter(() => now);
  for (let i = 0; i < 9; i++) l.fail("k");
  l.check("k"); // 9 failures: still allowed
  l.fail("k");
  let err: unknown;
  try {
    l.check("k");
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof RpcError, "locked out");
  const shape = err.toShape();
  assert.equal((shape.details as { code: string }).code, "AUTH_RATE_LIMITED");
  assert.equal(shape.retryAfterMs, BROWSER_LOGIN_LOCKOUT_MS);
  l.check("other"); // other keys unaffected
  now += BROWSER_LOGIN_LOCKOUT_MS;
  l.check("k"); // lockout over
});

Deno.test("BrowserLoginLimiter forgets failures outside the window and on success", () => {
  let now = 0;
  const l = new BrowserLoginLimiter(() => now);
  for (let i = 0; i < 9; i++) l.fail("k");
  now += BROWSER_LOGIN_WINDOW_MS;
  l.fail("k");
  l.check("k"); // the 9 old ones expired
  for (let i = 0; i < 8; i++) l.fail("k");
  l.reset("k");
  l.fail("k");
  l.check("k");
});

Deno.test("browserLoginKey(): origin on loopback, address otherwise, none without Origin", () => {
  const origin = { origin: "HTTP://127.0.0.1:18789", secure: false };
  assert.equal(
    browserLoginKey({ remoteIp: "::1", isLocal: false, browserOrigin: origin }),
    "browser-origin:http://127.0.0.1:18789",
  );
  assert.equal(
    browserLoginKey({ remoteIp: "10.0.0.7", isLocal: false, browserOrigin: origin }),
    "10.0.0.7",
  );
  assert.equal(browserLoginKey({ remoteIp: "127.0.0.1", isLocal: true }), undefined);
});
