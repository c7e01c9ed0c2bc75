/**
 * Password guessing (issue 11 item 5) against a real `gateway run`: parallel wrong tokens hit
 * one limiter, so only `maxAttempts` (10) are checked and the rest are refused with
 * `AUTH_RATE_LIMITED` (loopback made non-exempt through `gateway.auth.rateLimit`, as upstream
 * documents for test setups); with the default loopback exemption nobody is locked out.
 */
import assert from "node:assert/strict";
import { startGatewayProcess, tempConfigFile } from "./helpers/cli.ts";
import { connectFlood } from "./helpers/auth_flood.ts";

Deno.test({
  name: "gateway: 30 parallel wrong tokens → 10 checked, 20 AUTH_RATE_LIMITED, then locked",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const configPath = await tempConfigFile({
      gateway: { auth: { rateLimit: { exemptLoopback: false } } },
    });
    const gw = await startGatewayProcess({ configPath });
    try {
      const counts = await connectFlood(gw.url, { token: "wrong" }, 30);
      assert.deepEqual(counts, { AUTH_TOKEN_MISMATCH: 10, AUTH_RATE_LIMITED: 20 });
      // Locked: even the right token is refused until the lockout ends.
      assert.deepEqual(await connectFlood(gw.url, { token: gw.token }, 1), {
        AUTH_RATE_LIMITED: 1,
      });
    } finally {
      await gw.stop();
      await Deno.remove(configPath.replace(/\/[^/]*$/, ""), { recursive: true });
    }
  },
});

Deno.test({
  name: "gateway: loopback is exempt by default: wrong tokens are delayed, the right one works",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const gw = await startGatewayProcess();
    try {
      const counts = await connectFlood(gw.url, { token: "wrong" }, 12);
      assert.deepEqual(counts, { AUTH_TOKEN_MISMATCH: 12 });
      assert.deepEqual(await connectFlood(gw.url, { token: gw.token }, 1), { ok: 1 });
    } finally {
      await gw.stop();
    }
  },
});
