// deno-lint-ignore-file no-console -- the conformance report is printed on purpose
/**
 * Reverse wire conformance (issue 12 item 3): every frame the REAL `openclaw gateway run`
 * sends, and every frame the real node host and real CLI send it, parses with clawgate's
 * schemas (src/protocol/), part by part (tests/helpers/frame_checks.ts). A recording proxy sits
 * in front of the real gateway; through it run the real node host, the real CLI, clawgate's
 * node and CLI, and a long-lived clawgate operator client (presence, pairing events, ticks,
 * shutdown). The report also shows where upstream's own gateway departs from its published
 * schemas (informational). Skipped when the interop install is missing.
 * @module
 */
import assert from "node:assert/strict";
import { runClawgate } from "../helpers/cli.ts";
import { planChecks, runChecks } from "../helpers/frame_checks.ts";
import { formatReport, summarize } from "../helpers/frame_report.ts";
import { startFrameTap } from "../helpers/frame_tap.ts";
import { freePort } from "../helpers/net.ts";
import { startNode } from "../helpers/node_process.ts";
import { connectOperator } from "../helpers/node_peer.ts";
import { poll } from "../helpers/poll.ts";
import {
  interopAvailable,
  runOpenclawCli,
  startOpenclawGateway,
  startOpenclawNode,
} from "../helpers/openclaw_peer.ts";

Deno.test({
  name: "interop: every frame of the real gateway, node host and CLI parses with clawgate's",
  ignore: !interopAvailable(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const token = `tok-${crypto.randomUUID()}`;
    const gw = await startOpenclawGateway({ port: freePort(), token });
    const tap = startFrameTap(gw.url);
    const tapPort = Number(new URL(tap.url).port);
    const conn = ["--url", tap.url, "--token", token];
    const env = { OPENCLAW_GATEWAY_URL: tap.url, OPENCLAW_GATEWAY_TOKEN: token };
    const listener = await connectOperator(tap.url, token, ["operator.admin"], {
      backend: true,
      handshakeTimeoutMs: 30_000,
    });
    const stateDir = await Deno.makeTempDir({ prefix: "clawgate-reverse-" });
    const ourNode = startNode([...conn, "--display-name", "cg-node"], stateDir);
    const realNode = await startOpenclawNode({ port: tapPort, token });
    const cg = async (args: string[]) => {
      const cut = args.includes("--") ? args.indexOf("--") : args.length;
      const r = await runClawgate([...args.slice(0, cut), ...conn, ...args.slice(cut)], {
        timeoutMs: 60_000,
      });
      assert.equal(r.code, 0, `clawgate ${args.join(" ")}: ${r.stdout}${r.stderr}`);
      return r.stdout;
    };
    try {
      await ourNode.waitFor(/"state":"connected"/, 60_000);
      await realNode.waitForOutput(/node host gateway connected/i, 90_000);
      const realId = await realNode.deviceId();
      // Approve both command surfaces with clawgate's CLI, then invoke on both nodes.
      for (const name of ["cg-node", realId]) {
        await poll(
          `a pending surface for ${name}`,
          async () => {
            const r = await runClawgate(["--json", "nodes", "pending", ...conn]);
            return r.stdout.includes(name === "cg-node" ? "cg-node" : realId) ? true : undefined;
          },
          60_000,
          500,
        );
        await cg(["nodes", "approve", name]);
      }
      await ourNode.waitFor(/"state":"approved"/, 60_000);
      await cg(["nodes", "invoke", "cg-node", "--", "echo", "reverse"]);
      await poll(
        "the real node to run system.which",
        async () => {
          const r = await runClawgate([
            "nodes",
            "invoke",
            realId,
            "system.which",
            "--params",
            '{"bins":["sh"]}',
            ...conn,
          ]);
          return r.code === 0 ? true : undefined;
        },
        60_000,
        500,
      );
      for (
        const args of [["health"], ["status", "--deep"], ["nodes", "list"], ["devices", "list"]]
      ) {
        await cg(args);
      }
      for (const method of ["system-presence", "last-heartbeat", "channels.status", "status"]) {
        await cg(["gateway", "call", method]);
      }
      const real = await runOpenclawCli(["status", "--deep"], { env });
      assert.equal(real.code, 0, real.stdout + real.stderr);
      await runOpenclawCli(["nodes", "list"], { env });
    } finally {
      await gw.stop();
      ourNode.signal("SIGTERM");
      await ourNode.status;
      await realNode.stop();
      listener.client.close();
      await tap.close();
      await Deno.remove(stateDir, { recursive: true }).catch(() => {});
    }

    const report = summarize(await runChecks(planChecks(tap.frames)));
    console.error(formatReport("real openclaw gateway ↔ real node/CLI, clawgate node/CLI", report));
    const seen = new Set(listener.events.map((e) => e.event));
    assert.ok(seen.has("presence"), `listener saw ${[...seen].join(",")}`);
    assert.ok(report.kinds.some((k) => k.kind === "event shutdown"), "the shutdown was captured");
    assert.deepEqual(report.ownFailures, [], "real frames clawgate's schemas reject");
  },
});
