// deno-lint-ignore-file no-console -- a scripted measurement whose product is the printed report
/**
 * Fleet-scale figures for issue 8: N idle sessions of one kind against a gateway subprocess.
 * Prints time to establish all N, gateway RSS per session, idle gateway CPU, event bytes received
 * per session while the fleet connected (presence storms show up here), and the time of a fresh
 * CLI `health` on the empty and on the loaded gateway, with the load average next to them.
 *
 * Run: `deno task bench:scale [--kind cli|backend|ui|node] [--n 1000] [--concurrency 24]
 * [--idle-s 10] [--deadline-s 120] [--gateway-root DIR | --openclaw] [--restart] [--json]`
 * - kinds: see scale_session.ts.
 * - `--deadline-s`: the fleet must be established within this bound, else the report says
 *   "not established within T s (k of N)" and measures the k that made it.
 * - `--gateway-root DIR`: run `DIR/scripts/clawgate gateway run` (another checkout, e.g. the
 *   tree before issue 8 for the "before" column); `health` always uses this checkout's CLI.
 * - `--openclaw`: the real OpenClaw gateway (needs `CLAWGATE_INTEROP_DIR` with the interop
 *   install, see tests/helpers/openclaw_peer.ts).
 * - `--restart` (kind `node`, clawgate only): after the idle window the gateway is stopped and
 *   started again on the same port and state dir; see scale_restart.ts.
 * - `--json`: one JSON object on stdout instead of the text report (bench/scale_table.ts).
 * Handshakes in flight stay below both gateways' 32 unauthenticated connections per IP.
 */
import { parseArgs } from "node:util";
import { generateDeviceIdentity } from "../src/identity/device_identity.ts";
import { type GatewayProcess, runClawgate, startGatewayProcess } from "../tests/helpers/cli.ts";
import { freePort } from "../tests/helpers/net.ts";
import { runOpenclawCli, startOpenclawGateway } from "../tests/helpers/openclaw_peer.ts";
import { cpuPercent, listenerPid, loadAverage, sleep, treeUsage } from "./scale_probe.ts";
import { type Kind, KINDS, openSession } from "./scale_session.ts";
import { RestartNode, type RestartReport, restartStorm } from "./scale_restart.ts";
import { formatReport, type ScaleResult } from "./scale_report.ts";

const { values: opt } = parseArgs({
  args: Deno.args,
  options: {
    kind: { type: "string", default: "backend" },
    n: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "24" },
    "idle-s": { type: "string", default: "10" },
    "deadline-s": { type: "string", default: "120" },
    "gateway-root": { type: "string" },
    openclaw: { type: "boolean", default: false },
    restart: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});
const kind = opt.kind as Kind;
if (!KINDS.includes(kind)) throw new RangeError(`bad --kind ${kind}: one of ${KINDS.join(", ")}`);
const n = Number(opt.n);
const concurrency = Number(opt.concurrency);
const idleMs = Number(opt["idle-s"]) * 1000;
const deadlineMs = Number(opt["deadline-s"]) * 1000;
for (const [name, v] of [["n", n], ["concurrency", concurrency], ["deadline-s", deadlineMs]]) {
  if (!(Number(v) > 0)) throw new RangeError(`bad --${name}: a positive number`);
}
if (opt.restart && (kind !== "node" || opt.openclaw)) {
  throw new RangeError("--restart needs --kind node against clawgate");
}
const root = opt["gateway-root"]?.replace(/\/$/, "");
const bin = root ? `${root}/scripts/clawgate` : undefined;
const token = `bench-${crypto.randomUUID()}`;

async function freshHealthMs(url: string): Promise<number | null> {
  const t0 = performance.now();
  const r = opt.openclaw
    ? await runOpenclawCli(["gateway", "call", "health", "--url", url, "--token", token, "--json"])
    : await runClawgate(["health", "--url", url, "--token", token, "--json"]);
  return r.code === 0 ? Math.round(performance.now() - t0) : null;
}

const startClawgate = (port?: number, stateDir?: string) =>
  startGatewayProcess({ token, maxOpenFiles: 20_000, bin, port, stateDir });

let pid: number;
let url: string;
let stop: () => Promise<unknown>;
let gw: GatewayProcess | undefined;
if (opt.openclaw) {
  const oc = await startOpenclawGateway({ port: freePort(), token });
  url = oc.url;
  stop = oc.stop;
  pid = listenerPid(oc.port);
} else {
  gw = await startClawgate();
  url = gw.url;
  stop = () => gw!.stop();
  pid = gw.pid;
}

const sockets: WebSocket[] = [];
const nodes: RestartNode[] = [];
const failures: string[] = [];
let eventBytes = 0;
let eventFrames = 0;
const onEvent = (text: string) => {
  eventBytes += text.length;
  eventFrames++;
};

/**
 * Device keys of the signed kinds, made before the clock starts: a fleet's devices have their
 * keys already, and making them here would bill the bench process's key generation to the
 * gateway's establish time (the bench and the gateway share the machine).
 */
const identities = kind === "node" || kind === "ui"
  ? await Promise.all(Array.from({ length: n }, () => generateDeviceIdentity()))
  : [];

/** Opens session number `i`; a `--restart` node is kept as a {@linkcode RestartNode}. */
async function openOne(i: number, remainingMs: number): Promise<void> {
  const handshakeTimeoutMs = Math.max(1_000, Math.min(30_000, remainingMs));
  const identity = identities[i];
  if (!opt.restart) {
    sockets.push(await openSession({ url, token, kind, identity, handshakeTimeoutMs, onEvent }));
    return;
  }
  const node = new RestartNode(url, token, identity);
  await node.connect();
  nodes.push(node);
}

let result: ScaleResult | undefined;
try {
  const healthEmptyMs = await freshHealthMs(url);
  await sleep(1_000);
  const before = treeUsage(pid);
  const t0 = performance.now();
  const deadline = t0 + deadlineMs;
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n && failures.length < 20 && performance.now() < deadline) {
      const i = next++;
      await openOne(i, deadline - performance.now()).catch((e) => failures.push(e.message));
    }
  }));
  const establishMs = Math.round(performance.now() - t0);
  const established = opt.restart ? nodes.length : sockets.length;
  await sleep(2_000); // let coalesced events arrive
  const afterConnect = treeUsage(pid);
  const idle0 = treeUsage(pid);
  await sleep(idleMs);
  const idle1 = treeUsage(pid);
  const healthLoadedMs = await freshHealthMs(url);
  const perSession = (u: { rssKiB: number }) =>
    (u.rssKiB - before.rssKiB) / Math.max(1, established);
  let restart: RestartReport | undefined;
  if (opt.restart && gw) {
    const { port, stateDir } = gw;
    restart = await restartStorm({
      url,
      token,
      nodes,
      deadlineMs,
      restart: async (onStopped) => {
        await gw!.stop();
        onStopped();
        gw = await startClawgate(port, stateDir);
      },
    });
  }
  result = {
    gateway: opt.openclaw ? "openclaw" : "clawgate",
    root: root ?? "this checkout",
    kind,
    n,
    established,
    complete: established === n,
    deadlineS: deadlineMs / 1000,
    failures: failures.length,
    firstFailure: failures[0],
    establishMs,
    rssEmptyMiB: before.rssKiB / 1024,
    rssLoadedMiB: afterConnect.rssKiB / 1024,
    rssPerSessionKiB: perSession(afterConnect),
    rssPerSessionIdleKiB: perSession(idle1),
    idleCpuPct: cpuPercent(idle0, idle1, idleMs),
    idleS: idleMs / 1000,
    eventBytesPerSession: eventBytes / Math.max(1, established),
    eventFramesPerSession: eventFrames / Math.max(1, established),
    healthEmptyMs,
    healthLoadedMs,
    load: loadAverage(),
    restart,
  };
} finally {
  for (const ws of sockets) ws.close();
  for (const node of nodes) node.stop();
  const t = performance.now();
  await stop();
  const stopMs = Math.round(performance.now() - t);
  if (result) result.stopMs = stopMs;
}
if (result) console.log(opt.json ? JSON.stringify(result) : formatReport(result));
