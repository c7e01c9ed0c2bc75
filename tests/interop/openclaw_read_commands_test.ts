// deno-lint-ignore-file no-console -- command outputs are printed on failure on purpose
/**
 * Interop (issue 12 item 4): every read command of the REAL OpenClaw CLI a remote operator uses
 * works against `clawgate gateway run` (with a clawgate node connected and approved) and prints
 * what it prints against the real gateway, modulo versions, ids, timings and what clawgate does
 * not have (agents, event-loop diagnostics). The expected lines are the ones the real CLI
 * prints against `openclaw gateway run` (same package, same isolated config). The CLI reaches
 * the gateway through `OPENCLAW_GATEWAY_URL`/`OPENCLAW_GATEWAY_TOKEN`, as OpenClaw's
 * remote-access docs describe, or through `--url`/`--token` for the `gateway`/`nodes`/`devices`
 * subcommands. Skipped when the interop install is missing.
 * @module
 */
import * as v from "valibot";
import assert from "node:assert/strict";
import { StatusSummarySchema } from "../../src/protocol/mod.ts";
import { runClawgate, startGatewayProcess } from "../helpers/cli.ts";
import { startNode } from "../helpers/node_process.ts";
import { type CliResult, interopAvailable, runOpenclawCli } from "../helpers/openclaw_peer.ts";

function ok(r: CliResult, what: string): string {
  assert.equal(r.code, 0, `${what} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  assert.doesNotMatch(r.stdout + r.stderr, /unknown method|Cannot read properties/, what);
  return r.stdout;
}

Deno.test({
  name: "interop: the real openclaw CLI's read commands print their normal output against clawgate",
  ignore: !interopAvailable(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const gw = await startGatewayProcess();
    const conn = ["--url", gw.url, "--token", gw.token];
    const env = { OPENCLAW_GATEWAY_URL: gw.url, OPENCLAW_GATEWAY_TOKEN: gw.token };
    const oc = (args: string[]) => runOpenclawCli(args, { env });
    const nodeDir = await Deno.makeTempDir({ prefix: "clawgate-read-node-" });
    const node = startNode([...conn, "--display-name", "cg-node"], nodeDir);
    try {
      await node.waitFor(/"state":"connected"/, 60_000);
      const nodeId = node.states().find((l) => l.state === "connected")!.nodeId as string;
      const approve = await runClawgate(["nodes", "approve", nodeId, ...conn]);
      assert.equal(approve.code, 0, approve.stderr);
      await node.waitFor(/"state":"approved"/, 60_000);
      const port = String(gw.port);
      const gatewayRow = new RegExp(
        `│ Gateway +│ local · ws://127\\.0\\.0\\.1:${port} \\(env OPENCLAW_GATEWAY_URL\\) · ` +
          `reachable \\d+ms · auth token`,
      );

      await t.step("status", async () => {
        const out = ok(await oc(["status"]), "status");
        assert.match(out, gatewayRow);
        assert.match(out, /Channels\nNo channels configured/);
        assert.match(out, /Sessions\nNo sessions/);
      });
      await t.step("status --deep: the Health table", async () => {
        const out = ok(await oc(["status", "--deep"]), "status --deep");
        assert.match(out, gatewayRow);
        assert.match(out, /│ Item +│ Status +│ Detail/);
        assert.match(out, /│ Gateway +│ reachable +│ \d+ms/);
      });
      await t.step("status --all: diagnosis without failures", async () => {
        const out = ok(await oc(["status", "--all"]), "status --all");
        assert.match(out, gatewayRow);
        assert.match(out, /✓ Inbound delivery telemetry: received 0 · dispatch 0\/0/);
        assert.match(out, /✓ Channel issues \(none\)/);
        assert.doesNotMatch(out, /Telemetry exporters: unavailable/);
      });
      await t.step("health, health --verbose, health --json", async () => {
        assert.match(ok(await oc(["health"]), "health"), /^Gateway probe duration: \d+ms$/m);
        const verbose = ok(await oc(["health", "--verbose"]), "health --verbose");
        assert.match(verbose, new RegExp(`Gateway target: ws://127\\.0\\.0\\.1:${port}\\n`));
        assert.match(verbose, /Source: env OPENCLAW_GATEWAY_URL/);
        const json = JSON.parse(ok(await oc(["health", "--json"]), "health --json"));
        assert.equal(json.ok, true);
        assert.deepEqual(json.channelOrder, []);
      });
      await t.step("gateway health|status|call", async () => {
        const health = ok(await oc(["gateway", "health", ...conn]), "gateway health");
        assert.match(health, /^Gateway Health\nOK \(\d+ms\)$/m);
        const status = ok(await oc(["gateway", "status", ...conn]), "gateway status");
        assert.match(status, new RegExp(`Probe target: ws://127\\.0\\.0\\.1:${port}`));
        assert.doesNotMatch(status, /Connectivity probe: failed/);
        const call = ok(await oc(["gateway", "call", "status", "--json", ...conn]), "call status");
        assert.ok(v.is(StatusSummarySchema, JSON.parse(call)), call);
        const channels = JSON.parse(
          ok(await oc(["gateway", "call", "channels.status", "--json", ...conn]), "call channels"),
        );
        assert.deepEqual([channels.channelOrder, channels.channels], [[], {}]);
      });
      await t.step("nodes list|status|pending|describe|invoke, devices list", async () => {
        const list = ok(await oc(["nodes", "list", ...conn]), "nodes list");
        assert.match(list, /Pending: 0 · Paired: 1/);
        assert.match(list, /cg-node/);
        const status = ok(await oc(["nodes", "status", ...conn]), "nodes status");
        assert.match(status, /Known: 1 · Paired: 1 · Connected: 1/);
        assert.match(status, new RegExp(`│ ${nodeId.slice(0, 12)}`));
        assert.match(status, /paired · connected/);
        const pending = ok(await oc(["nodes", "pending", ...conn]), "nodes pending");
        assert.match(pending, /No pending pairing requests\./);
        const describe = ok(
          await oc(["nodes", "describe", "--node", "cg-node", ...conn]),
          "nodes describe",
        );
        assert.match(describe, /system\.run/);
        assert.match(describe, new RegExp(nodeId.slice(0, 12)));
        const invoke = ok(
          await oc([
            "nodes",
            "invoke",
            "--node",
            "cg-node",
            "--command",
            "system.which",
            "--params",
            '{"bins":["sh"]}',
            "--json",
            ...conn,
          ]),
          "nodes invoke",
        );
        assert.match(JSON.parse(invoke).payload.bins.sh, /\/sh$/);
        const devices = ok(await oc(["devices", "list", ...conn]), "devices list");
        assert.match(devices, new RegExp(nodeId.slice(0, 12)));
      });
    } catch (err) {
      console.error(`gateway log:\n${gw.logs()}`);
      throw err;
    } finally {
      node.signal("SIGTERM");
      await node.status;
      assert.equal(await gw.stop(), 0);
      await Deno.remove(gw.stateDir, { recursive: true });
      await Deno.remove(nodeDir, { recursive: true });
    }
  },
});
