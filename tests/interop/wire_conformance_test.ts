// deno-lint-ignore-file no-console -- the conformance report is printed on purpose
/**
 * Wire conformance (issue 12): every frame crossing a recording proxy in front of
 * `clawgate gateway run`, in both directions, is validated against the protocol schemas the
 * installed openclaw package publishes (tests/helpers/frame_checks.ts) and against clawgate's
 * schemas. The scenario drives each method and event clawgate implements: operator and
 * node roles, device pairing (requested/resolved), node surface pairing (requested/resolved),
 * node.invoke (run, which, failing run, missing node), errors (unknown method, missing scope,
 * pairing required, no channels), ticks, presence, and shutdown, plus the node's own frames.
 * A second scenario puts the REAL node host and the REAL CLI (`status --deep|--all`, `health`,
 * `nodes …`, `devices list`) behind the same proxy, so clawgate's answers to upstream's own
 * clients are held to upstream's schemas too. Prints which schema each frame kind met and the
 * parts no published schema covers. Skipped when the interop install is missing.
 * @module
 */
import assert from "node:assert/strict";
import { runClawgate, startGatewayProcess } from "../helpers/cli.ts";
import { planChecks, runChecks } from "../helpers/frame_checks.ts";
import { formatReport, summarize } from "../helpers/frame_report.ts";
import { startFrameTap } from "../helpers/frame_tap.ts";
import { startNode } from "../helpers/node_process.ts";
import { connectOperator } from "../helpers/node_peer.ts";
import { poll } from "../helpers/poll.ts";
import { interopAvailable, runOpenclawCli, startOpenclawNode } from "../helpers/openclaw_peer.ts";

const ignore = !interopAvailable();
if (ignore) {
  console.error(
    "SKIPPED interop: real OpenClaw not installed; run bash scripts/interop_install.sh",
  );
}

/** Upstream schemas the scenario must have found exported (else checks would thin out silently). */
const CORE_UPSTREAM_SCHEMAS = [
  "RequestFrameSchema",
  "ResponseFrameSchema",
  "EventFrameSchema",
  "ErrorShapeSchema",
  "HelloOkSchema",
  "PresenceEntrySchema",
  "TickEventSchema",
  "ShutdownEventSchema",
  "ChannelsStatusResultSchema",
  "SnapshotSchema#/properties/health",
  "validateConnectParams",
  "validateNodeInvokeParams",
  "validateNodeInvokeResultParams",
  "validateNodeEventParams",
];

/** Frame kinds the scenario must produce; a missing one means the scenario lost coverage. */
const EXPECTED_KINDS = [
  "event connect.challenge",
  "req connect",
  "res connect",
  "res connect error",
  "event tick",
  "event presence",
  "event shutdown",
  "event device.pair.requested",
  "event device.pair.resolved",
  "event node.pair.requested",
  "event node.pair.resolved",
  "event node.invoke.request",
  "req node.invoke.result",
  "res node.invoke.result",
  "req node.invoke",
  "res node.invoke",
  "res node.invoke error",
  "res health",
  "res status",
  "res system-presence",
  "res system-presence error",
  "res last-heartbeat",
  "res channels.status",
  "res node.list",
  "res node.describe",
  "res node.pair.list",
  "res node.pair.approve",
  "res device.pair.list",
  "res device.pair.approve",
  "res nope error",
  "res send error",
];

Deno.test({
  name: "interop: every clawgate frame validates against OpenClaw's published protocol schemas",
  ignore,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "clawgate-conformance-" });
    const configPath = `${dir}/config.json5`;
    await Deno.writeTextFile(
      configPath,
      `{gateway: {nodes: {pairing: {autoApproveLocal: false}}}}`,
    );
    const gw = await startGatewayProcess({
      configPath,
      env: { CLAWGATE_TICK_INTERVAL_MS: "500" },
    });
    const tap = startFrameTap(gw.url);
    const conn = ["--url", tap.url, "--token", gw.token];
    const cli = async (args: string[], expectCode = 0) => {
      const cut = args.includes("--") ? args.indexOf("--") : args.length;
      const r = await runClawgate([...args.slice(0, cut), ...conn, ...args.slice(cut)]);
      assert.equal(r.code, expectCode, `clawgate ${args.join(" ")}: ${r.stdout}${r.stderr}`);
      return r.stdout;
    };
    const backend = { backend: true, handshakeTimeoutMs: 10_000 };
    const listener = await connectOperator(tap.url, gw.token, ["operator.admin"], backend);
    const noScope = (await connectOperator(tap.url, gw.token, [], backend)).client;
    const nodeDir = `${dir}/node`;
    await Deno.mkdir(nodeDir);
    const node = startNode([...conn, "--display-name", "conformance-node"], nodeDir);
    try {
      const admin = listener.client;
      await assert.rejects(noScope.request("system-presence"), /scope/i);
      // Device pairing of the node: requested → approved → the node connects by itself.
      const requestId = await poll("a device pairing request", async () => {
        const list = JSON.parse(await cli(["--json", "devices", "list"]));
        return (list.pending as { requestId: string }[] | undefined)?.[0]?.requestId;
      });
      await cli(["devices", "approve", requestId]);
      await node.waitFor(/"state":"connected"/, 60_000);
      const nodeId = await poll("the node in node.list", async () => {
        const list = JSON.parse(await cli(["--json", "nodes", "list"]));
        return (list.nodes as { nodeId: string; connected: boolean }[])
          .find((n) => n.connected)?.nodeId;
      });
      // Surface pairing: pending → approved.
      await cli(["nodes", "pending"]);
      await cli(["nodes", "approve", nodeId]);
      await cli(["nodes", "describe", nodeId]);
      await cli(["nodes", "invoke", nodeId, "--", "echo", "conformance"]);
      await cli(["nodes", "invoke", nodeId, "system.which", "--params", '{"bins":["sh"]}']);
      await cli(["nodes", "invoke", nodeId, "--", "sh", "-c", "exit 3"], 3);
      await assert.rejects(admin.request("node.invoke", {
        nodeId: "no-such-node",
        command: "system.run",
        params: { command: ["echo"] },
        idempotencyKey: crypto.randomUUID(),
      }));
      await cli(["health"]);
      await cli(["status", "--deep"]);
      for (const method of ["status", "system-presence", "last-heartbeat", "channels.status"]) {
        await cli(["gateway", "call", method]);
      }
      await cli(["gateway", "call", "nope"], 6);
      await cli(["gateway", "send", "--to", "x", "--message", "hi"], 6);
      await admin.request("node.pair.list", {});
      await poll(
        "a tick on the listener",
        () => listener.events.some((e) => e.event === "tick") ? true : undefined,
      );
    } finally {
      assert.equal(await gw.stop(), 0, gw.logs());
      await poll(
        "the listener to see the shutdown",
        () => listener.closed() ? true : undefined,
      ).catch(() => {});
      node.signal("SIGTERM");
      await node.status;
      noScope.close();
      await tap.close();
      await Deno.remove(dir, { recursive: true });
      await Deno.remove(gw.stateDir, { recursive: true });
    }

    const report = summarize(await runChecks(planChecks(tap.frames)));
    console.error(formatReport("clawgate gateway ↔ clawgate CLI, node and operators", report));
    const kinds = new Set(report.kinds.map((k) => k.kind));
    const missing = EXPECTED_KINDS.filter((k) => !kinds.has(k));
    assert.deepEqual(missing, [], `scenario lost coverage of: ${missing.join(", ")}`);
    const used = new Set(report.kinds.flatMap((k) => Object.values(k.upstream)));
    const unpublished = CORE_UPSTREAM_SCHEMAS.filter((name) => !used.has(name));
    assert.deepEqual(unpublished, [], "the openclaw package no longer exports these schemas");
    assert.deepEqual(report.upstreamFailures, [], "frames OpenClaw's schemas reject");
    assert.deepEqual(report.ownFailures, [], "frames clawgate's schemas reject");
    assert.deepEqual(report.disagreements, [], "clawgate and upstream schemas disagree");
  },
});

Deno.test({
  name: "interop: clawgate's frames to the real node host and real CLI validate upstream",
  ignore,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const gw = await startGatewayProcess();
    const tap = startFrameTap(gw.url);
    const conn = ["--url", tap.url, "--token", gw.token];
    const env = { OPENCLAW_GATEWAY_URL: tap.url, OPENCLAW_GATEWAY_TOKEN: gw.token };
    const node = await startOpenclawNode({ port: Number(new URL(tap.url).port), token: gw.token });
    try {
      await node.waitForOutput(/node host gateway connected/i, 90_000);
      const nodeId = await node.deviceId();
      await poll(
        "the real node's pending surface",
        async () => {
          const r = await runClawgate(["--json", "nodes", "pending", ...conn]);
          return r.stdout.includes(nodeId) ? true : undefined;
        },
        60_000,
        500,
      );
      const approve = await runOpenclawCli(["nodes", "approve", nodeId, ...conn]);
      if (approve.code !== 0) {
        assert.equal((await runClawgate(["nodes", "approve", nodeId, ...conn])).code, 0);
      }
      const invoke = await poll(
        "system.which on the real node",
        async () => {
          const r = await runOpenclawCli([
            "nodes",
            "invoke",
            "--node",
            nodeId,
            "--command",
            "system.which",
            "--params",
            '{"bins":["sh"]}',
            ...conn,
          ]);
          return r.code === 0 ? r : undefined;
        },
        60_000,
        1_000,
      );
      assert.equal(invoke.code, 0);
      for (const args of [["status", "--deep"], ["status", "--all"], ["health", "--json"]]) {
        const r = await runOpenclawCli(args, { env });
        assert.equal(r.code, 0, `openclaw ${args.join(" ")}: ${r.stdout}${r.stderr}`);
      }
      for (const args of [["nodes", "status"], ["nodes", "describe", "--node", nodeId]]) {
        const r = await runOpenclawCli([...args, ...conn]);
        assert.equal(r.code, 0, `openclaw ${args.join(" ")}: ${r.stdout}${r.stderr}`);
      }
    } finally {
      assert.equal(await gw.stop(), 0, gw.logs());
      await node.stop();
      await tap.close();
      await Deno.remove(gw.stateDir, { recursive: true });
    }
    const report = summarize(await runChecks(planChecks(tap.frames)));
    console.error(formatReport("clawgate gateway ↔ real node host and real CLI", report));
    assert.ok(report.kinds.some((k) => k.kind === "req node.invoke.result"), "node answered");
    assert.deepEqual(report.upstreamFailures, [], "frames OpenClaw's schemas reject");
    assert.deepEqual(report.ownFailures, [], "frames clawgate's schemas reject");
    assert.deepEqual(report.disagreements, [], "clawgate and upstream schemas disagree");
  },
});
