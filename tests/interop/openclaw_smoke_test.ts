/**
 * Smoke test of the interop harness: the real OpenClaw gateway starts on loopback, the real
 * CLI gets `health` from it, and it shuts down cleanly. Skipped when the interop install is
 * missing (`bash scripts/interop_install.sh`).
 * @module
 */
// deno-lint-ignore-file no-console -- timings are reported on stderr on purpose
import assert from "node:assert/strict";
import { freePort } from "../helpers/net.ts";
import {
  interopAvailable,
  runOpenclawCli,
  startOpenclawGateway,
} from "../helpers/openclaw_peer.ts";

Deno.test({
  name: "real openclaw gateway answers the real CLI's health call and stops cleanly",
  ignore: !interopAvailable(),
  fn: async () => {
    const token = `clawgate-${crypto.randomUUID()}`;
    const gw = await startOpenclawGateway({ port: freePort(), token });
    try {
      console.error(`openclaw gateway ready after ${gw.readyMs} ms on ${gw.url}`);
      const t0 = performance.now();
      const r = await runOpenclawCli(
        ["gateway", "call", "health", "--url", gw.url, "--token", gw.token, "--json"],
      );
      console.error(`openclaw gateway call health took ${Math.round(performance.now() - t0)} ms`);
      assert.equal(r.code, 0, `CLI failed:\n${r.stdout}\n${r.stderr}`);
      const health = JSON.parse(r.stdout);
      assert.equal(health.ok, true, r.stdout);
    } finally {
      const t1 = performance.now();
      const code = await gw.stop();
      console.error(
        `openclaw gateway stopped in ${Math.round(performance.now() - t1)} ms (exit ${code})`,
      );
      assert.match(gw.output(), /\[shutdown\] completed cleanly|received SIGTERM/);
      assert.equal(code, 0, `gateway exit code ${code}; last output:\n${gw.output().slice(-3000)}`);
    }
  },
});
