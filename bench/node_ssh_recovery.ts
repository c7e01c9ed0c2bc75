// deno-lint-ignore-file no-console -- a scripted measurement whose product is the printed report
/**
 * Time from sshd accepting again to a node over SSH being invokable (issue 13 item 5). A
 * scripted measurement, not a timed test: `deno run -A bench/node_ssh_recovery.ts [--runs N]
 * [--down-ms MS]` (defaults 3 runs, sshd down for 3000 ms).
 *
 * Per run: the real gateway (`gateway.nodes.autoApprove`) behind a real sshd
 * (tests/helpers/sshd.ts), `clawgate node connect --ssh …` (its own supervised tunnel), one
 * operator session straight to the gateway. Once `system.run echo` works, sshd and its sessions
 * are killed, left down for `--down-ms`, started again; from the moment sshd accepts TCP, the
 * operator calls `node.invoke system.run echo` (2 s deadline each, every 100 ms) until one
 * succeeds. Printed: sshd back → node `connected`, sshd back → first successful invoke. Most of
 * the time is the tunnel's backoff (random up to 1, 2, 4 … s while sshd was down).
 * @module
 */
import { startGatewayProcess } from "../tests/helpers/cli.ts";
import { connectOperator } from "../tests/helpers/node_peer.ts";
import { startNode } from "../tests/helpers/node_process.ts";
import { nodeSshArgs, startSshd } from "../tests/helpers/sshd.ts";

const arg = (name: string, fallback: number) => {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Number(Deno.args[i + 1]) || fallback : fallback;
};
const runs = arg("--runs", 3);
const downMs = arg("--down-ms", 3000);
const rows: number[][] = [];
for (let run = 0; run < runs; run++) {
  const cfgDir = await Deno.makeTempDir({ prefix: "clawgate-bench-cfg-" });
  await Deno.writeTextFile(
    `${cfgDir}/gw.json`,
    JSON.stringify({ gateway: { nodes: { autoApprove: true } } }),
  );
  const sshd = await startSshd();
  const gw = await startGatewayProcess({ configPath: `${cfgDir}/gw.json` });
  const nodeDir = await Deno.makeTempDir({ prefix: "clawgate-bench-node-" });
  const node = startNode([
    ...nodeSshArgs(sshd, gw.port),
    "--token",
    gw.token,
    "--display-name",
    "bench-ssh-node",
  ], nodeDir);
  const op = await connectOperator(gw.url, gw.token);
  const invoke = async () => {
    const { nodes } = await op.client.request("node.list", {}, { timeoutMs: 2000 }) as {
      nodes: { nodeId: string; connected?: boolean }[];
    };
    const nodeId = nodes.find((n) => n.connected)?.nodeId;
    if (!nodeId) throw new Error("no connected node");
    await op.client.request("node.invoke", {
      nodeId,
      command: "system.run",
      params: { command: ["echo", "hi"] },
      idempotencyKey: crypto.randomUUID(),
      timeoutMs: 2000,
    }, { timeoutMs: 2000 });
  };
  const untilInvokable = async (limitMs: number) => {
    const start = Date.now();
    while (Date.now() - start < limitMs) {
      try {
        await invoke();
        return Date.now();
      } catch { /* not yet */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`node not invokable within ${limitMs} ms:\n${node.stderr()}`);
  };
  try {
    await node.waitFor(/"state":"connected"/, 60_000);
    await untilInvokable(30_000);
    const connectedBefore = node.states().filter((s) => s.state === "connected").length;
    await sshd.kill();
    await new Promise((r) => setTimeout(r, downMs));
    await sshd.restart();
    const backAt = Date.now();
    const invokableAt = await untilInvokable(120_000);
    const connected = node.states().filter((s) => s.state === "connected")[connectedBefore];
    rows.push([connected ? (connected.ts as number) - backAt : NaN, invokableAt - backAt]);
    console.log(
      `run ${run + 1}: sshd back → node connected ${rows.at(-1)![0]} ms, → invokable ${
        rows.at(-1)![1]
      } ms`,
    );
  } finally {
    op.client.close(1000, "done");
    node.signal("SIGTERM");
    await node.status;
    await gw.stop();
    await sshd.stop();
    await Deno.remove(nodeDir, { recursive: true }).catch(() => {});
    await Deno.remove(cfgDir, { recursive: true }).catch(() => {});
  }
}
const median = (i: number) => rows.map((r) => r[i]).sort((a, b) => a - b)[rows.length >> 1];
console.log(
  `median of ${runs} (sshd down ${downMs} ms): connected ${median(0)} ms, invokable ${
    median(1)
  } ms after sshd accepted again`,
);
