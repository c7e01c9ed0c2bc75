// deno-lint-ignore-file no-console -- a scripted measurement whose product is the printed report
/**
 * Fleet-scale figures for issue 8: N idle sessions of one kind against a gateway subprocess.
 * Prints time to establish all N, gateway RSS per session, idle gateway CPU, event bytes received
 * per session while the fleet connected (presence storms show up here), and the time of a fresh
 * CLI `health` on the empty and on the loaded gateway, with the load average next to them.
 *
 * Run: `deno task bench:scale [--kind cli|backend|ui|node] [--n 1000] [--concurrency 24]
 * [--idle-s 10] [--openclaw]`
 * - `cli`: device-less `cli/cli` operators with `operator.read` (not in presence).
 * - `backend`: device-less `gateway-client/backend` operators with `operator.read`.
 * - `ui`: signed `openclaw-macos/ui` operator devices with `operator.read`: each one is listed
 *   in presence AND receives presence, the worst case for presence fan-out.
 * - `node`: signed `node-host/node` nodes (listed in presence).
 * Signed kinds are paired silently (direct loopback + token, `autoApproveLocal`).
 * `--openclaw` runs the same against the real OpenClaw gateway (needs `CLAWGATE_INTEROP_DIR`
 * with the interop install, see tests/helpers/openclaw_peer.ts). Handshakes in flight stay below
 * both gateways' 32 unauthenticated connections per IP.
 */
import { parseArgs } from "node:util";
import { generateDeviceIdentity } from "../src/identity/device_identity.ts";
import type { ConnectParams } from "../src/protocol/mod.ts";
import { runClawgate, startGatewayProcess } from "../tests/helpers/cli.ts";
import { freePort } from "../tests/helpers/net.ts";
import { signedConnect } from "../tests/helpers/node_peer.ts";
import { runOpenclawCli, startOpenclawGateway } from "../tests/helpers/openclaw_peer.ts";

const { values: opt } = parseArgs({
  args: Deno.args,
  options: {
    kind: { type: "string", default: "backend" },
    n: { type: "string", default: "1000" },
    concurrency: { type: "string", default: "24" },
    "idle-s": { type: "string", default: "10" },
    openclaw: { type: "boolean", default: false },
  },
});
const kind = opt.kind!;
if (!["cli", "backend", "ui", "node"].includes(kind)) throw new RangeError(`bad --kind ${kind}`);
const n = Number(opt.n);
const concurrency = Number(opt.concurrency);
const idleMs = Number(opt["idle-s"]) * 1000;
const HANDSHAKE_DEADLINE_MS = 120_000;

const load = () => Deno.loadavg().map((x) => x.toFixed(1)).join(" ");

/** Pids of `root` and all its descendants (from /proc). */
function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(e.name)]);
    } catch { /* exited */ }
  }
  const out: number[] = [];
  for (const queue = [root]; queue.length;) {
    const pid = queue.pop()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Summed RSS (KiB) and CPU ticks (utime+stime) of a process tree. */
function treeUsage(root: number): { rssKiB: number; ticks: number } {
  let rssKiB = 0;
  let ticks = 0;
  for (const pid of processTree(root)) {
    try {
      const status = Deno.readTextFileSync(`/proc/${pid}/status`);
      rssKiB += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(f[11]) + Number(f[12]);
    } catch { /* exited */ }
  }
  return { rssKiB, ticks };
}

interface Fleet {
  sockets: WebSocket[];
  eventBytes: number;
  eventFrames: number;
  failures: string[];
}

/** Opens one session and resolves on `hello-ok`; counts event bytes after hello forever. */
function openSession(url: string, token: string, fleet: Fleet): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let hello = false;
    const timer = setTimeout(() => {
      ws.close();
      reject(new Error("handshake timeout"));
    }, HANDSHAKE_DEADLINE_MS);
    ws.onerror = () => {
      clearTimeout(timer);
      reject(new Error("socket error"));
    };
    ws.onclose = (e) => {
      clearTimeout(timer);
      if (!hello) reject(new Error(`closed ${e.code} ${e.reason}`));
    };
    ws.onmessage = async (e) => {
      const text = e.data as string;
      if (hello) {
        fleet.eventBytes += text.length;
        fleet.eventFrames++;
        return;
      }
      const frame = JSON.parse(text);
      if (frame.type === "event" && frame.event === "connect.challenge") {
        ws.send(JSON.stringify({
          type: "req",
          id: "c",
          method: "connect",
          params: await connectParams(token, frame.payload),
        }));
      } else if (frame.type === "res" && frame.id === "c") {
        clearTimeout(timer);
        if (!frame.ok) return reject(new Error(JSON.stringify(frame.error)));
        hello = true;
        fleet.sockets.push(ws);
        resolve();
      }
    };
  });
}

async function connectParams(
  token: string,
  challenge: { nonce: string; ts: number },
): Promise<ConnectParams> {
  const base = { minProtocol: 4, maxProtocol: 4, role: "operator", auth: { token } };
  const client = (id: string, mode: string) => ({ id, mode, version: "bench", platform: "linux" });
  if (kind === "cli") {
    return { ...base, client: client("cli", "cli"), scopes: ["operator.read"] } as ConnectParams;
  }
  if (kind === "backend") {
    const c = client("gateway-client", "backend");
    return { ...base, client: c, scopes: ["operator.read"] } as ConnectParams;
  }
  const identity = await generateDeviceIdentity();
  return await signedConnect(
    kind === "node" ? { identity, token } : {
      identity,
      token,
      role: "operator",
      scopes: ["operator.read"],
      clientId: "openclaw-macos",
      clientMode: "ui",
    },
    challenge,
  );
}

async function freshHealthMs(url: string, token: string): Promise<number> {
  const t0 = performance.now();
  const r = opt.openclaw
    ? await runOpenclawCli(["gateway", "call", "health", "--url", url, "--token", token, "--json"])
    : await runClawgate(["health", "--url", url, "--token", token, "--json"]);
  if (r.code !== 0) throw new Error(`health failed (${r.code}): ${r.stdout}${r.stderr}`);
  return Math.round(performance.now() - t0);
}

const token = `bench-${crypto.randomUUID()}`;
let pid: number;
let url: string;
let stop: () => Promise<unknown>;
if (opt.openclaw) {
  const gw = await startOpenclawGateway({ port: freePort(), token });
  url = gw.url;
  stop = gw.stop;
  pid = listenerPid(gw.port);
} else {
  const gw = await startGatewayProcess({ token, maxOpenFiles: 20_000 });
  url = gw.url;
  stop = gw.stop;
  pid = gw.pid;
}

/** The pid owning the listening socket on `port` (via `ss -ltnpH`). */
function listenerPid(port: number): number {
  const out = new Deno.Command("ss", { args: ["-ltnpH", `sport = :${port}`] }).outputSync();
  const m = /pid=(\d+)/.exec(new TextDecoder().decode(out.stdout));
  if (!m) throw new Error(`no process listens on port ${port}`);
  return Number(m[1]);
}

const fleet: Fleet = { sockets: [], eventBytes: 0, eventFrames: 0, failures: [] };
try {
  const healthEmptyMs = await freshHealthMs(url, token);
  await new Promise((r) => setTimeout(r, 1_000));
  const before = treeUsage(pid);
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n && fleet.failures.length < 20) {
      next++;
      await openSession(url, token, fleet).catch((e) => fleet.failures.push(e.message));
    }
  }));
  const establishMs = Math.round(performance.now() - t0);
  await new Promise((r) => setTimeout(r, 2_000)); // let coalesced events arrive
  const afterConnect = treeUsage(pid);
  const bytesPerSession = fleet.eventBytes / Math.max(1, fleet.sockets.length);
  const idle0 = treeUsage(pid);
  await new Promise((r) => setTimeout(r, idleMs));
  const idle1 = treeUsage(pid);
  const ticksPerSec = 100; // CLK_TCK on Linux
  const idleCpuPct = ((idle1.ticks - idle0.ticks) / ticksPerSec) / (idleMs / 1000) * 100;
  const healthLoadedMs = await freshHealthMs(url, token);
  const perSession = (u: { rssKiB: number }) =>
    ((u.rssKiB - before.rssKiB) / Math.max(1, fleet.sockets.length)).toFixed(1);
  console.log(
    [
      `gateway: ${opt.openclaw ? "openclaw" : "clawgate"}  kind: ${kind}  n: ${n}  ` +
      `established: ${fleet.sockets.length}  failures: ${fleet.failures.length}` +
      (fleet.failures.length ? ` (first: ${fleet.failures[0]})` : ""),
      `establish: ${establishMs} ms`,
      `rss: ${(before.rssKiB / 1024).toFixed(0)} MiB empty -> ${
        (afterConnect.rssKiB / 1024).toFixed(0)
      } MiB; per session ${perSession(afterConnect)} KiB; after the idle window ${
        (idle1.rssKiB / 1024).toFixed(0)
      } MiB, ${perSession(idle1)} KiB per session`,
      `idle cpu: ${idleCpuPct.toFixed(1)} % of one core over ${idleMs / 1000} s`,
      `event bytes per session: ${(bytesPerSession / 1024).toFixed(1)} KiB (${
        (fleet.eventFrames / Math.max(1, fleet.sockets.length)).toFixed(1)
      } frames; includes ticks)`,
      `fresh cli health: ${healthEmptyMs} ms empty, ${healthLoadedMs} ms loaded`,
      `load average: ${load()}`,
    ].join("\n"),
  );
} finally {
  for (const ws of fleet.sockets) ws.close();
  const t = performance.now();
  await stop();
  console.log(`gateway stop: ${Math.round(performance.now() - t)} ms`);
}
