// deno-lint-ignore-file no-console -- a benchmark prints its figures
/**
 * `deno task bench:startup [--rounds N]`: start-up cost of the CLI as ratios to the floor
 * (`deno run` of an empty file), measured in one run, the variants alternating within each
 * round, medians over N rounds (default 7). Rows: `--version`, `health` against a running
 * gateway (wall and peak RSS), `gateway run` spawn → `GET /readyz` answering, and spawn → the
 * first `health` answered over a raw WebSocket (handshake included: `/readyz` answers once the
 * port is bound, the session code loads right after, so this row shows when a client is
 * really served); each for the
 * source tree (`deno run` of main.ts with the scripts/permissions flags, as scripts/clawgate
 * does minus its sh) and for `dist/clawgate` (built first when missing or stale). Also the
 * self-extracting file's first run (empty cache dir) against later runs. Peak RSS comes from
 * `/usr/bin/time` (skipped when absent), as is CPU time (user + system, mean over the rounds;
 * time(1) counts in ticks, so short processes such as the floor are under-counted: no ratio),
 * which a busy machine distorts less than wall time. Loopback only; every process is stopped.
 * @module
 */
import { ensureDist } from "../scripts/dist_inputs.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const DIST = `${ROOT}/dist/clawgate`;
const TIME = "/usr/bin/time";

let rounds = 7;
const at = Deno.args.indexOf("--rounds");
if (at >= 0) rounds = Math.max(1, Number(Deno.args[at + 1]) || rounds);

const hasTime = (() => {
  try {
    return Deno.statSync(TIME).isFile;
  } catch {
    return false;
  }
})();

const tmp = await Deno.makeTempDir({ prefix: "clawgate-bench-startup-" });
const home = `${tmp}/home`;
Deno.mkdirSync(home);
const empty = `${tmp}/empty.js`;
Deno.writeTextFileSync(empty, "");
const perms = Deno.readTextFileSync(`${ROOT}/scripts/permissions`).split("\n")
  .map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));

/** argv per variant; the env is minimal (HOME in the bench dir, PATH) for all of them. */
const deno = Deno.execPath();
const floorArgv = [deno, "run", "--quiet", empty];
const sourceArgv = [
  deno,
  "run",
  "--quiet",
  "--no-prompt",
  "--config",
  `${ROOT}/deno.json`,
  ...perms,
  `${ROOT}/main.ts`,
];
const distArgv = [DIST];
// Deno's own cache dir for the floor and the source tree (npm packages are cached there);
// dist/clawgate needs none and gets a fresh one under the bench HOME.
const info = await new Deno.Command(deno, { args: ["info", "--json"], stdout: "piped" }).output();
const denoDir = JSON.parse(new TextDecoder().decode(info.stdout)).denoDir as string;
const env = { HOME: home, PATH: "/usr/bin:/bin", NO_COLOR: "1" };
const withDenoDir = (argv: string[]): Record<string, string> =>
  argv[0] === DIST ? {} : { DENO_DIR: denoDir };

interface Sample {
  ms: number;
  kib: number;
  /** User + system CPU seconds (less sensitive to a busy machine than wall time). */
  cpu: number;
}

/** Runs argv to completion; wall ms from spawn to exit, peak RSS KiB and CPU s (0 without time). */
async function measure(argv: string[], extraEnv: Record<string, string> = {}): Promise<Sample> {
  const rss = `${tmp}/rss`;
  const full = hasTime ? [TIME, "-f", "%M %U %S", "-o", rss, ...argv] : argv;
  const t0 = performance.now();
  const out = await new Deno.Command(full[0], {
    args: full.slice(1),
    env: { ...env, ...withDenoDir(argv), ...extraEnv },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const ms = performance.now() - t0;
  if (!out.success) {
    throw new Error(`${argv.join(" ")} failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  const [kib, user, sys] = hasTime
    ? Deno.readTextFileSync(rss).trim().split("\n").pop()!.split(" ").map(Number)
    : [0, 0, 0];
  return { ms, kib, cpu: user + sys };
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/**
 * Spawns `gateway run` on a free port, polls `reached(port)` every 5 ms for up to 60 s and
 * returns the ms from spawn until it first resolved true, then stops the gateway.
 */
async function gatewayUntil(
  argv: string[],
  token: string,
  what: string,
  reached: (port: number) => Promise<boolean>,
): Promise<number> {
  const port = freePort();
  const t0 = performance.now();
  const child = new Deno.Command(argv[0], {
    args: [...argv.slice(1), "gateway", "run", "--port", String(port), "--token", token],
    env: { ...env, ...withDenoDir(argv), CLAWGATE_STATE_DIR: `${tmp}/gw-${port}` },
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  let ms = -1;
  try {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (await reached(port)) {
        ms = performance.now() - t0;
        break;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    try {
      child.kill("SIGTERM");
    } catch { /* exited early: reported below */ }
    await child.status;
  }
  if (ms < 0) throw new Error(`${argv.join(" ")} gateway run: no ${what} within 60 s`);
  return ms;
}

/** ms from spawning `gateway run` until `GET /readyz` answers 200. */
function gatewayReady(argv: string[], token: string): Promise<number> {
  return gatewayUntil(argv, token, "/readyz", async (port) => {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      await res.body?.cancel();
      return res.ok;
    } catch {
      return false; // not listening yet
    }
  });
}

/**
 * One raw WebSocket round trip: challenge → `connect` (token) → `health`; resolves true when
 * the health answer is ok, false when the socket could not open (not listening yet).
 */
function healthOverWebSocket(port: number, token: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`);
    let opened = false;
    const timer = setTimeout(() => {
      ws.close();
      reject(new Error("no health answer within 30 s"));
    }, 30_000);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      ws.close();
      resolve(ok);
    };
    ws.onopen = () => (opened = true);
    ws.onerror = () => {
      if (!opened) done(false);
    };
    ws.onmessage = (ev) => {
      const f = JSON.parse(ev.data);
      if (f.type === "event" && f.event === "connect.challenge") {
        ws.send(JSON.stringify({
          type: "req",
          id: "1",
          method: "connect",
          params: {
            minProtocol: 4,
            maxProtocol: 4,
            client: { id: "cli", version: "bench", platform: "linux", mode: "cli" },
            role: "operator",
            scopes: ["operator.read"],
            auth: { token },
          },
        }));
      } else if (f.type === "res" && f.id === "1") {
        if (!f.ok) return reject(new Error(`connect refused: ${JSON.stringify(f.error)}`));
        ws.send(JSON.stringify({ type: "req", id: "2", method: "health" }));
      } else if (f.type === "res" && f.id === "2") {
        if (!f.ok) return reject(new Error(`health failed: ${JSON.stringify(f.error)}`));
        done(true);
      }
    };
  });
}

/** ms from spawning `gateway run` until a raw WebSocket `health` is answered. */
function gatewayFirstHealth(argv: string[], token: string): Promise<number> {
  return gatewayUntil(argv, token, "health", (port) => healthOverWebSocket(port, token));
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** CPU seconds come in 10 ms steps from time(1): averaged over the rounds, not a median. */
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

const kind = await ensureDist(ROOT);
const token = `bench-${crypto.randomUUID()}`;
const gwPort = freePort();
const gateway = new Deno.Command(sourceArgv[0], {
  args: [...sourceArgv.slice(1), "gateway", "run", "--port", String(gwPort), "--token", token],
  env: { ...env, DENO_DIR: denoDir, CLAWGATE_STATE_DIR: `${tmp}/gw` },
  clearEnv: true,
  stdin: "null",
  stdout: "null",
  stderr: "piped",
}).spawn();
let gatewayLog = "";
const gatewayPump = (async () => {
  for await (const c of gateway.stderr.pipeThrough(new TextDecoderStream())) gatewayLog += c;
})();

try {
  const health = ["health", "--url", `ws://127.0.0.1:${gwPort}`, "--token", token];
  const samples: Record<string, Sample[]> = {};
  const readyMs: Record<string, number[]> = { source: [], dist: [] };
  const firstHealthMs: Record<string, number[]> = { source: [], dist: [] };
  const add = (k: string, s: Sample) => (samples[k] ??= []).push(s);
  // Warm-up: the gateway is up, dist/clawgate is unpacked, Deno's code caches exist.
  await gatewayReady(sourceArgv, token);
  for (let i = 0; i < 60; i++) {
    try {
      await measure([...sourceArgv, ...health]);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  for (const argv of [floorArgv, [...sourceArgv, "--version"], [...distArgv, "--version"]]) {
    await measure(argv);
  }
  await measure([...distArgv, ...health]);

  for (let r = 0; r < rounds; r++) {
    add("floor", await measure(floorArgv));
    add("source --version", await measure([...sourceArgv, "--version"]));
    add("dist --version", await measure([...distArgv, "--version"]));
    add("source health", await measure([...sourceArgv, ...health]));
    add("dist health", await measure([...distArgv, ...health]));
    readyMs.source.push(await gatewayReady(sourceArgv, token));
    readyMs.dist.push(await gatewayReady(distArgv, token));
    firstHealthMs.source.push(await gatewayFirstHealth(sourceArgv, token));
    firstHealthMs.dist.push(await gatewayFirstHealth(distArgv, token));
    console.error(`round ${r + 1}/${rounds} done`);
  }

  // The self-extracting file's first run (fresh cache dir) vs a later one, 3 rounds.
  const first: number[] = [];
  const later: number[] = [];
  for (let r = 0; r < Math.min(rounds, 3); r++) {
    const cache = `${tmp}/first-${r}`;
    first.push((await measure([...distArgv, "--version"], { CLAWGATE_CACHE_DIR: cache })).ms);
    later.push((await measure([...distArgv, "--version"], { CLAWGATE_CACHE_DIR: cache })).ms);
    await new Deno.Command("chmod", { args: ["-R", "u+w", cache] }).output();
    await Deno.remove(cache, { recursive: true });
  }

  const floor = samples.floor;
  const fMs = median(floor.map((s) => s.ms));
  const fKib = median(floor.map((s) => s.kib));
  const mib = (kib: number) => hasTime ? (kib / 1024).toFixed(0) : "n/a";
  const x = (v: number, base: number) => base > 0 ? `${(v / base).toFixed(1)}×` : "n/a";
  const size = Deno.statSync(DIST).size / 2 ** 20;
  console.log(
    `deno ${Deno.version.deno}, ${rounds} rounds, medians; dist/clawgate: ${kind}, ${
      size.toFixed(1)
    } MiB`,
  );
  console.log(
    "\n| | wall | × floor | CPU s (mean) | peak MiB | × floor |\n|---|---|---|---|---|---|",
  );
  const row = (label: string, key: string) => {
    const ms = median(samples[key].map((s) => s.ms));
    const kib = median(samples[key].map((s) => s.kib));
    const cpu = mean(samples[key].map((s) => s.cpu));
    console.log(
      `| ${label} | ${(ms / 1000).toFixed(3)} s | ${x(ms, fMs)} | ${cpu.toFixed(3)} | ${
        mib(kib)
      } | ${x(kib, fKib)} |`,
    );
  };
  row("floor: `deno run` of an empty file", "floor");
  row("source `--version`", "source --version");
  row("dist/clawgate `--version`", "dist --version");
  row("source `health` (gateway running)", "source health");
  row("dist/clawgate `health` (gateway running)", "dist health");
  for (const k of ["source", "dist"] as const) {
    const label = k === "source" ? "source" : "dist/clawgate";
    for (
      const [what, xs] of [
        ["/readyz", readyMs[k]],
        ["first `health` over WebSocket", firstHealthMs[k]],
      ] as const
    ) {
      const ms = median(xs);
      console.log(
        `| ${label} \`gateway run\` spawn → ${what} | ${(ms / 1000).toFixed(3)} s | ${
          x(ms, fMs)
        } | | | |`,
      );
    }
  }
  console.log(
    `\ndist/clawgate --version, fresh cache dir (first run, unpacks): ${
      (median(first) / 1000).toFixed(3)
    } s; next run: ${(median(later) / 1000).toFixed(3)} s`,
  );
} catch (err) {
  console.error(`bench failed: ${(err as Error).message}\ngateway log:\n${gatewayLog}`);
  throw err;
} finally {
  try {
    gateway.kill("SIGTERM");
  } catch { /* already exited */ }
  await gateway.status;
  await gatewayPump;
  await new Deno.Command("chmod", { args: ["-R", "u+w", tmp] }).output();
  await Deno.remove(tmp, { recursive: true });
}
