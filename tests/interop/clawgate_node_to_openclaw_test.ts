// deno-lint-ignore-file no-console -- measurements are part of the test output
/**
 * Interop: `clawgate node connect` against the REAL `openclaw gateway run`: silent loopback
 * device pairing, command surface approved with the real CLI (`nodes pending` / `nodes
 * approve`), then the real `openclaw gateway call node.invoke` runs `system.run` on our node;
 * `clawgate nodes list` / `nodes invoke` against the real gateway too. Prints RSS and timings.
 * @module
 */
import assert from "node:assert/strict";
import { runClawgate } from "../helpers/cli.ts";
import { startNode } from "../helpers/node_process.ts";
import { freePort } from "../helpers/net.ts";
import {
  interopAvailable,
  runOpenclawCli,
  startOpenclawGateway,
} from "../helpers/openclaw_peer.ts";

Deno.test({
  name: "interop: clawgate node connect ↔ real openclaw gateway (pair, approve, invoke)",
  ignore: !interopAvailable(),
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await using gw = await startOpenclawGateway({
      port: freePort(),
      token: `tok-${crypto.randomUUID()}`,
    });
    const conn = ["--url", gw.url, "--token", gw.token];
    const stateDir = await Deno.makeTempDir({ prefix: "clawgate-node-interop-" });
    const node = startNode([...conn, "--display-name", "cg-node"], stateDir);
    const waitFor = (re: RegExp, ms = 30_000) => node.waitFor(re, ms);
    try {
      await waitFor(/"state":"connected"/);
      const nodeId = node.states().find((l) => l.state === "connected")!.nodeId as string;
      // the real gateway refuses the runner inventory while the surface is pending
      await waitFor(/clawgate nodes approve/);
      const rss = (await Deno.readTextFile(`/proc/${node.pid}/status`)).match(
        /VmRSS:\s+(\d+) kB/,
      )?.[1];
      console.log(`clawgate node connect RSS after connect: ${Math.round(Number(rss) / 1024)} MiB`);

      const pending = await runOpenclawCli(["nodes", "pending", "--json", ...conn]);
      assert.equal(pending.code, 0, pending.stderr);
      const entry = JSON.parse(pending.stdout).find((p: { nodeId: string }) => p.nodeId === nodeId);
      assert.ok(entry, pending.stdout);
      assert.deepEqual(entry.commands, ["system.run", "system.which"]);
      const approve = await runOpenclawCli(["nodes", "approve", entry.requestId, ...conn]);
      assert.equal(approve.code, 0, approve.stderr);
      await waitFor(/"state":"approved"/);

      const t0 = performance.now();
      const call = await runOpenclawCli([
        "gateway",
        "call",
        "node.invoke",
        "--params",
        JSON.stringify({
          nodeId,
          command: "system.run",
          params: { command: ["echo", "hi"] },
          idempotencyKey: crypto.randomUUID(),
          timeoutMs: 15000,
        }),
        "--json",
        ...conn,
      ]);
      console.log(
        `openclaw gateway call node.invoke system.run: ${
          Math.round(performance.now() - t0)
        } ms (incl. CLI start)`,
      );
      assert.equal(call.code, 0, call.stderr);
      const res = JSON.parse(call.stdout);
      assert.equal(res.ok, true);
      assert.equal(res.payload.stdout, "hi\n");
      assert.equal(res.payload.exitCode, 0);

      const list = await runClawgate(["--json", "nodes", "list", ...conn]);
      assert.equal(list.code, 0, list.stderr);
      const listed = JSON.parse(list.stdout).nodes.find((n: { nodeId: string }) =>
        n.nodeId === nodeId
      );
      assert.equal(listed.connected, true);
      assert.equal(listed.displayName, "cg-node");

      const t1 = performance.now();
      const which = await runClawgate([
        "--json",
        "nodes",
        "invoke",
        "cg-node",
        "system.which",
        "--params",
        '{"bins":["sh","no-such-bin-xyz"]}',
        ...conn,
      ]);
      console.log(
        `clawgate nodes invoke system.which via real gateway: ${
          Math.round(performance.now() - t1)
        } ms (incl. CLI start)`,
      );
      assert.equal(which.code, 0, which.stderr);
      assert.deepEqual(Object.keys(JSON.parse(which.stdout).payload.bins), ["sh"]);

      node.signal("SIGTERM");
      assert.equal((await node.status).code, 0);
    } finally {
      node.signal("SIGKILL");
      await node.status;
      await Deno.remove(stateDir, { recursive: true }).catch(() => {});
    }
  },
});
