// deno-lint-ignore-file no-console -- a scripted load whose product is the printed report
/**
 * Gateway memory under many large `node.invoke` results (issue 11 item 4: the idempotency
 * record once kept every result for 5 minutes). A scripted load, not a timed test:
 *
 *   deno run -A bench/invoke_cache_rss.ts [--invokes 1000] [--bytes 1000000]
 *
 * Starts `clawgate gateway run` and an approved `clawgate node connect` (full policy), opens
 * ONE operator session and sends `--invokes` sequential `node.invoke system.run` calls, each
 * with a fresh idempotency key and printing `--bytes` bytes of `x`. Prints the gateway's VmRSS
 * (and peak VmHWM) from /proc before the load, every 10 %, and after. Everything binds
 * 127.0.0.1; both processes are stopped in `finally`.
 * @module
 */
import { startGatewayProcess } from "../tests/helpers/cli.ts";
import { startApprovedNode } from "../tests/helpers/node_process.ts";
import { operatorConnectParams } from "../src/cli/operator_session.ts";
import { GatewayClient } from "../src/transport/gateway_client.ts";

function intArg(name: string, fallback: number): number {
  const i = Deno.args.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(Deno.args[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name}: expected an integer ≥ 1`);
  return n;
}

/** VmRSS and VmHWM of `pid` in MiB. */
function memMiB(pid: number): { rss: number; peak: number } {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kib = (field: string) =>
    Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"))?.[1] ?? 0);
  return { rss: Math.round(kib("VmRSS") / 1024), peak: Math.round(kib("VmHWM") / 1024) };
}

const invokes = intArg("--invokes", 1000);
const bytes = intArg("--bytes", 1_000_000);
const gw = await startGatewayProcess();
const node = await startApprovedNode(gw, "rss-box");
let client: GatewayClient | undefined;
try {
  client = await GatewayClient.open({
    url: gw.url,
    handshakeTimeoutMs: 15_000,
    buildConnect: () =>
      operatorConnectParams({ url: gw.url, urlSource: "bench", token: gw.token }, [
        "operator.write",
        "operator.read",
      ]),
  });
  const nodes = await client.request<{ nodes: Array<{ nodeId: string }> }>("node.list", {});
  const nodeId = nodes.nodes[0].nodeId;
  const before = memMiB(gw.pid);
  console.log(`gateway pid ${gw.pid}: before ${before.rss} MiB RSS`);
  const t0 = performance.now();
  for (let i = 1; i <= invokes; i++) {
    const res = await client.request<{ payload: { stdout: string } }>("node.invoke", {
      nodeId,
      command: "system.run",
      params: { command: ["sh", "-c", `head -c ${bytes} /dev/zero | tr '\\0' x`] },
      timeoutMs: 60_000,
      idempotencyKey: crypto.randomUUID(),
    }, { timeoutMs: 65_000 });
    if (res.payload.stdout.length !== bytes) {
      throw new Error(`invoke ${i}: got ${res.payload.stdout.length} bytes, want ${bytes}`);
    }
    if (i % Math.max(1, Math.floor(invokes / 10)) === 0) {
      const m = memMiB(gw.pid);
      console.log(`after ${i} invokes: ${m.rss} MiB RSS (peak ${m.peak} MiB)`);
    }
  }
  const after = memMiB(gw.pid);
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(
    `RESULT ${invokes} invokes × ${bytes} B: gateway RSS ${before.rss} → ${after.rss} MiB ` +
      `(peak ${after.peak} MiB) in ${secs} s`,
  );
} finally {
  client?.close(1000);
  node.signal("SIGTERM");
  await node.status;
  await gw.stop();
}
