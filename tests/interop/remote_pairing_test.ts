// deno-lint-ignore-file no-console -- timings are reported on stderr on purpose
/**
 * Interop: device pairing with silent loopback approval turned off
 * (`gateway.nodes.pairing.autoApproveLocal:false`), both directions.
 *
 * 1. The REAL `openclaw node run` against `clawgate gateway run`: refused with
 *    `NOT_PAIRED`/`PAIRING_REQUIRED`, the request shows in `clawgate devices list`, approved with
 *    `clawgate devices approve`, the node restarted with the same identity (the real node does
 *    not resume by itself, reference-peer.md §4), surface approved with `clawgate nodes approve`,
 *    then `clawgate nodes invoke … system.which`.
 * 2. `clawgate node connect` against the REAL `openclaw gateway run`: our node reports
 *    pairing-required with the real gateway's requestId and keeps waiting; the real CLI approves
 *    (`devices list`/`devices approve`); our node connects by itself (no restart), the surface
 *    is approved with the real `nodes approve`, then `clawgate nodes invoke … -- echo hi`.
 *
 * Skipped when the interop install is missing. Prints timings on stderr.
 * @module
 */
import assert from "node:assert/strict";
import { runClawgate, startGatewayProcess } from "../helpers/cli.ts";
import { freePort } from "../helpers/net.ts";
import { startNode } from "../helpers/node_process.ts";
import { poll } from "../helpers/poll.ts";
import {
  interopAvailable,
  runOpenclawCli,
  startOpenclawGateway,
  startOpenclawNode,
} from "../helpers/openclaw_peer.ts";

const NO_LOCAL_AUTO_APPROVE = { gateway: { nodes: { pairing: { autoApproveLocal: false } } } };

interface DeviceEntry {
  requestId?: string;
  deviceId: string;
  role?: string;
  roles?: string[];
}

function elapsed(t0: number): string {
  return `${((performance.now() - t0) / 1000).toFixed(1)} s`;
}

/**
 * A persistent state root for the real node host, so a restart keeps its device identity
 * (`startOpenclawNode` gives every start a fresh temp dir; its `env` overrides that).
 */
async function persistentNodeState(): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = await Deno.makeTempDir({ prefix: "clawgate-openclaw-node-persist-" });
  for (const sub of ["home", "state", "logs"]) await Deno.mkdir(`${dir}/${sub}`, { mode: 0o700 });
  await Deno.writeTextFile(
    `${dir}/state/openclaw.json`,
    JSON.stringify({
      update: { checkOnStart: false },
      logging: { file: `${dir}/logs/openclaw.log` },
      nodeHost: { autoUpdate: { enabled: false } },
    }),
    { mode: 0o600 },
  );
  return {
    dir,
    env: {
      HOME: `${dir}/home`,
      OPENCLAW_HOME: `${dir}/home`,
      OPENCLAW_STATE_DIR: `${dir}/state`,
      OPENCLAW_CONFIG_PATH: `${dir}/state/openclaw.json`,
    },
  };
}

/** `openclaw node identity --json` on that state root (fails until the first run created it). */
function nodeIdentity(env: Record<string, string>, timeoutMs: number): Promise<string> {
  return poll("the real node's identity", async () => {
    const r = await runOpenclawCli(["node", "identity", "--json"], { env });
    return r.code === 0 ? JSON.parse(r.stdout).deviceId as string : undefined;
  }, timeoutMs);
}

Deno.test({
  name:
    "interop: real openclaw node → clawgate gateway with autoApproveLocal:false (devices approve, restart, nodes approve, invoke)",
  ignore: !interopAvailable(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const t0 = performance.now();
    const cfgDir = await Deno.makeTempDir({ prefix: "clawgate-remote-pairing-cfg-" });
    const configPath = `${cfgDir}/clawgate.json`;
    await Deno.writeTextFile(configPath, JSON.stringify(NO_LOCAL_AUTO_APPROVE));
    const gw = await startGatewayProcess({ configPath });
    const conn = ["--url", gw.url, "--token", gw.token];
    const persist = await persistentNodeState();
    let node = await startOpenclawNode({ port: gw.port, token: gw.token, env: persist.env });
    try {
      const nodeId = await nodeIdentity(persist.env, 90_000);
      assert.match(nodeId, /^[0-9a-f]{64}$/);

      // 1. refused: the pending request shows in `clawgate devices list`
      const pending = await poll(
        "the node's pending device request",
        async () => {
          const r = await runClawgate(["--json", "devices", "list", ...conn]);
          assert.equal(r.code, 0, r.stdout + r.stderr);
          const list = JSON.parse(r.stdout) as { pending?: DeviceEntry[]; paired?: DeviceEntry[] };
          assert.ok(!list.paired?.some((d) => d.deviceId === nodeId), "paired without approval");
          return list.pending?.find((d) => d.deviceId === nodeId);
        },
        90_000,
        1000,
        () => `${node.output()}\n${gw.logs()}`,
      );
      console.error(`real node refused (pairing required) after ${elapsed(t0)}`);
      assert.ok(pending.requestId, JSON.stringify(pending));
      assert.ok(
        pending.role === "node" || (pending.roles ?? []).includes("node"),
        JSON.stringify(pending),
      );
      // the real node saw NOT_PAIRED / PAIRING_REQUIRED and is not connected
      await node.waitForOutput(
        /pairing required|not approved|PAIRING_REQUIRED|NOT_PAIRED/i,
        30_000,
      );
      assert.doesNotMatch(node.output(), /node host gateway connected/);

      // 2. approve the device with our CLI
      const approve = await runClawgate(["devices", "approve", pending.requestId, ...conn]);
      assert.equal(approve.code, 0, approve.stdout + approve.stderr);
      const paired = await runClawgate(["--json", "devices", "list", ...conn]);
      assert.equal(paired.code, 0, paired.stderr);
      const lists = JSON.parse(paired.stdout) as {
        pending?: DeviceEntry[];
        paired?: DeviceEntry[];
      };
      assert.ok(lists.paired?.some((d) => d.deviceId === nodeId), paired.stdout);
      assert.ok(!lists.pending?.some((d) => d.deviceId === nodeId), paired.stdout);

      // 3. restart the real node with the same identity; it connects now
      await node.stop();
      const tRestart = performance.now();
      node = await startOpenclawNode({ port: gw.port, token: gw.token, env: persist.env });
      await node.waitForOutput(/node host gateway connected/, 90_000);
      console.error(`restarted real node connected in ${elapsed(tRestart)}`);

      // 4. approve its command surface with `clawgate nodes approve <nodeId>`
      const surface = await poll(
        "the node's pending command surface",
        async () => {
          const r = await runClawgate(["--json", "nodes", "pending", ...conn]);
          assert.equal(r.code, 0, r.stdout + r.stderr);
          const out = JSON.parse(r.stdout);
          const list = (Array.isArray(out) ? out : out.pending ?? []) as { nodeId: string }[];
          return list.find((p) => p.nodeId === nodeId);
        },
        30_000,
        500,
        () => `${node.output()}\n${gw.logs()}`,
      );
      assert.ok(surface);
      const nodesApprove = await runClawgate(["nodes", "approve", nodeId, ...conn]);
      assert.equal(nodesApprove.code, 0, nodesApprove.stdout + nodesApprove.stderr);

      // 5. invoke system.which through our gateway
      const which = await poll(
        "a successful system.which",
        async () => {
          const r = await runClawgate([
            "--json",
            "nodes",
            "invoke",
            nodeId,
            "system.which",
            "--params",
            '{"bins":["sh"]}',
            ...conn,
          ]);
          return r.code === 0 ? r : undefined;
        },
        30_000,
        500,
        () => `${node.output()}\n${gw.logs()}`,
      );
      const out = JSON.parse(which.stdout);
      assert.equal(out.nodeId, nodeId);
      assert.match(out.payload.bins.sh, /\/sh$/);
      console.error(`direction 1 (real node → clawgate gateway) total ${elapsed(t0)}`);
    } finally {
      await node.stop();
      await gw.stop();
      await Deno.remove(gw.stateDir, { recursive: true }).catch(() => {});
      await Deno.remove(cfgDir, { recursive: true }).catch(() => {});
      await Deno.remove(persist.dir, { recursive: true }).catch(() => {});
    }
  },
});

Deno.test({
  name:
    "interop: clawgate node connect → real openclaw gateway with autoApproveLocal:false (waits, resumes after approval, invoke)",
  ignore: !interopAvailable(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const t0 = performance.now();
    await using gw = await startOpenclawGateway({
      port: freePort(),
      token: `tok-${crypto.randomUUID()}`,
      extraConfig: NO_LOCAL_AUTO_APPROVE,
    });
    console.error(`real gateway ready in ${(gw.readyMs / 1000).toFixed(1)} s`);
    const conn = ["--url", gw.url, "--token", gw.token];
    const stateDir = await Deno.makeTempDir({ prefix: "clawgate-node-remote-pairing-" });
    const node = startNode([...conn, "--display-name", "cg-pair"], stateDir, {
      CLAWGATE_NODE_PAIRING_RETRY_MS: "1000",
    });
    let exited = false;
    node.status.then(() => (exited = true));
    try {
      const tNode = performance.now();
      // 1. our node reports pairing-required with the real gateway's requestId
      await node.waitFor(/"state":"pairing-required"/, 30_000);
      const first = node.states().find((l) => l.state === "pairing-required")!;
      const nodeId = first.nodeId as string;
      assert.match(nodeId, /^[0-9a-f]{64}$/);
      assert.equal(typeof first.requestId, "string", JSON.stringify(first));
      assert.ok(!node.states().some((l) => l.state === "connected"));

      const pending = await poll(
        "our node's request in the real devices list",
        async () => {
          const r = await runOpenclawCli(["devices", "list", "--json", ...conn]);
          assert.equal(r.code, 0, r.stdout + r.stderr);
          const list = JSON.parse(r.stdout) as { pending?: DeviceEntry[] };
          return list.pending?.find((d) => d.deviceId === nodeId);
        },
        30_000,
        500,
      );
      assert.ok(pending.requestId);
      assert.ok(
        pending.role === "node" || (pending.roles ?? []).includes("node"),
        JSON.stringify(pending),
      );
      const reported = new Set(
        node.states().filter((l) => l.state === "pairing-required").map((l) => l.requestId),
      );
      assert.ok(
        reported.has(pending.requestId),
        `node reported ${[...reported].join()} but the gateway lists ${pending.requestId}`,
      );
      // still waiting, not exited, not connected
      assert.equal(exited, false, node.stderr());
      assert.ok(!node.states().some((l) => l.state === "connected" || l.state === "refused"));
      const waitingLines = node.states().filter((l) => l.state === "pairing-required").length;

      // 2. approve with the real CLI
      const tApprove = performance.now();
      const approve = await runOpenclawCli(["devices", "approve", pending.requestId, ...conn]);
      assert.equal(approve.code, 0, approve.stdout + approve.stderr);

      // 3. our node connects by itself (same process)
      await node.waitFor(/"state":"connected"/, 30_000);
      console.error(`clawgate node connected ${elapsed(tApprove)} after devices approve`);
      assert.equal(exited, false);
      const states = node.states();
      const connectedAt = states.findIndex((l) => l.state === "connected");
      assert.equal(states[connectedAt].nodeId, nodeId);
      assert.ok(
        states.slice(0, connectedAt).filter((l) => l.state === "pairing-required").length >=
          waitingLines,
      );
      assert.ok(!states.some((l) => l.state === "refused" || l.state === "stopped"));

      // 4. approve the command surface with the real CLI
      await node.waitFor(/"state":"pending-approval"|clawgate nodes approve/, 30_000);
      const surface = await poll(
        "our node in the real `nodes pending`",
        async () => {
          const r = await runOpenclawCli(["nodes", "pending", "--json", ...conn]);
          assert.equal(r.code, 0, r.stdout + r.stderr);
          return (JSON.parse(r.stdout) as { requestId: string; nodeId: string }[])
            .find((p) => p.nodeId === nodeId);
        },
        30_000,
        500,
      );
      const nodesApprove = await runOpenclawCli(["nodes", "approve", surface.requestId, ...conn]);
      assert.equal(nodesApprove.code, 0, nodesApprove.stdout + nodesApprove.stderr);
      await node.waitFor(/"state":"approved"/, 30_000);

      // 5. clawgate nodes invoke -- echo hi through the real gateway
      const tInvoke = performance.now();
      const run = await runClawgate(["nodes", "invoke", nodeId, ...conn, "--", "echo", "hi"]);
      console.error(`clawgate nodes invoke -- echo hi via real gateway: ${elapsed(tInvoke)}`);
      assert.equal(run.code, 0, run.stdout + run.stderr);
      assert.equal(run.stdout, "hi\n");
      console.error(
        `direction 2 (clawgate node → real gateway): node pairing→approved ${elapsed(tNode)}, ` +
          `total ${elapsed(t0)}`,
      );

      node.signal("SIGTERM");
      assert.equal((await node.status).code, 0);
    } finally {
      node.signal("SIGKILL");
      await node.status;
      await Deno.remove(stateDir, { recursive: true }).catch(() => {});
    }
  },
});
