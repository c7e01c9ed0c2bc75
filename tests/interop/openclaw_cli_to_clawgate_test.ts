/**
 * Interop, both directions of issue 2: the real OpenClaw CLI against `clawgate gateway run`,
 * and the clawgate CLI against the real `openclaw gateway run`. Skipped (loudly) when the
 * interop install is missing: `bash scripts/interop_install.sh`.
 * @module
 */
// deno-lint-ignore-file no-console -- timings are reported on stderr on purpose
import assert from "node:assert/strict";
import { runClawgate, startGatewayProcess } from "../helpers/cli.ts";
import { freePort } from "../helpers/net.ts";
import {
  interopAvailable,
  runOpenclawCli,
  startOpenclawGateway,
} from "../helpers/openclaw_peer.ts";

const ignore = !interopAvailable();
if (ignore) {
  console.error(
    "SKIPPED interop: real OpenClaw not installed; run bash scripts/interop_install.sh",
  );
}

Deno.test({
  name: "interop: the real openclaw CLI works against clawgate gateway run",
  ignore,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const gw = await startGatewayProcess();
    const conn = ["--url", gw.url, "--token", gw.token];
    try {
      await t.step("openclaw gateway health --url --token --json", async () => {
        const r = await runOpenclawCli(["gateway", "health", ...conn, "--json"]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.equal(JSON.parse(r.stdout).ok, true);
      });
      await t.step("OPENCLAW_GATEWAY_URL/TOKEN openclaw health --json", async () => {
        const r = await runOpenclawCli(["health", "--json"], {
          env: { OPENCLAW_GATEWAY_URL: gw.url, OPENCLAW_GATEWAY_TOKEN: gw.token },
        });
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.equal(JSON.parse(r.stdout).ok, true);
      });
      await t.step("openclaw health (text)", async () => {
        const r = await runOpenclawCli(["health"], {
          env: { OPENCLAW_GATEWAY_URL: gw.url, OPENCLAW_GATEWAY_TOKEN: gw.token },
        });
        assert.equal(r.code, 0, r.stdout + r.stderr);
      });
      await t.step("openclaw gateway call status --json", async () => {
        const r = await runOpenclawCli(["gateway", "call", "status", ...conn, "--json"]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.deepEqual(JSON.parse(r.stdout).sessions.recent, []);
      });
      await t.step("openclaw gateway status --url --token", async () => {
        const r = await runOpenclawCli(["gateway", "status", ...conn]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.doesNotMatch(r.stdout + r.stderr, /unreachable|failed/i);
      });
      await t.step(
        "openclaw gateway call with a wrong token is refused with AUTH_TOKEN_MISMATCH",
        async () => {
          const r = await runOpenclawCli([
            "gateway",
            "call",
            "status",
            "--url",
            gw.url,
            "--token",
            "wrong",
            "--json",
          ]);
          assert.equal(r.code, 1);
          assert.equal(JSON.parse(r.stdout).error.details.code, "AUTH_TOKEN_MISMATCH");
        },
      );
    } finally {
      assert.equal(await gw.stop(), 0);
      await Deno.remove(gw.stateDir, { recursive: true });
    }
  },
});

Deno.test({
  name: "interop: the clawgate CLI works against the real openclaw gateway run",
  ignore,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const token = `cg-${crypto.randomUUID()}`;
    const gw = await startOpenclawGateway({ port: freePort(), token });
    console.error(`real openclaw gateway ready after ${gw.readyMs} ms`);
    const conn = ["--url", gw.url, "--token", token];
    try {
      await t.step("clawgate health", async () => {
        const r = await runClawgate(["health", ...conn]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /OK/);
        const env = { CLAWGATE_GATEWAY_URL: gw.url, CLAWGATE_GATEWAY_TOKEN: token };
        const r2 = await runClawgate(["health", "--json"], { env });
        assert.equal(r2.code, 0, r2.stderr);
        assert.equal(JSON.parse(r2.stdout).ok, true);
      });
      await t.step("clawgate status --deep", async () => {
        const r = await runClawgate(["status", "--deep", "--json", ...conn]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        const s = JSON.parse(r.stdout);
        assert.equal(s.gateway.reachable, true);
        assert.ok(s.gateway.status && !s.gateway.status.error, JSON.stringify(s.gateway.status));
        assert.ok(Array.isArray(s.gateway.presence));
        assert.ok(Array.isArray(s.gateway.nodes.nodes));
      });
      await t.step("clawgate gateway call node.list", async () => {
        const r = await runClawgate(["gateway", "call", "node.list", "--json", ...conn]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.ok(Array.isArray(JSON.parse(r.stdout).nodes));
      });
      await t.step("clawgate with a wrong token exits 7", async () => {
        const r = await runClawgate(["health", "--json", "--url", gw.url, "--token", "wrong"]);
        assert.equal(r.code, 7, r.stdout + r.stderr);
        assert.equal(JSON.parse(r.stdout).error.details.code, "AUTH_TOKEN_MISMATCH");
      });
    } finally {
      await gw.stop();
    }
  },
});
