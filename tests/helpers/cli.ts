/**
 * Runs the CLI as a subprocess through `scripts/clawgate` (the exact compile-time permissions)
 * and starts `clawgate gateway run` processes for tests.
 * @module
 */
import { freePort } from "./net.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
/** Absolute path of the dev-time binary. */
export const CLAWGATE = `${ROOT}scripts/clawgate`;

/** Env every test subprocess gets: this deno, no inherited clawgate/openclaw settings. */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(Deno.env.toObject())) {
    if (k.startsWith("CLAWGATE_") || k.startsWith("OPENCLAW_")) continue;
    env[k] = v;
  }
  return { ...env, DENO_BIN: Deno.execPath(), NO_COLOR: "1", ...extra };
}

/** Result of a CLI run. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `clawgate <args>` to completion.
 *
 * @param options.timeoutMs Kill after this long (SIGKILL) and fail. @default {30000}
 */
export async function runClawgate(
  args: string[],
  options: { env?: Record<string, string>; timeoutMs?: number; stdin?: string } = {},
): Promise<CliResult> {
  const cmd = new Deno.Command(CLAWGATE, {
    args,
    env: baseEnv(options.env),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
  });
  const child = cmd.spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
  }, options.timeoutMs ?? 30_000);
  const out = await child.output();
  clearTimeout(timer);
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A gateway subprocess. */
export interface GatewayProcess {
  port: number;
  url: string;
  token: string;
  stateDir: string;
  pid: number;
  /** Lines the gateway wrote to stderr so far. */
  logs(): string;
  /** SIGTERM and wait for exit; returns the exit code. */
  stop(): Promise<number>;
  /** Sends a signal without waiting. */
  kill(signal?: Deno.Signal): void;
  status: Promise<Deno.CommandStatus>;
}

/**
 * Starts `clawgate gateway run --port P --token T` and waits until `GET /readyz` answers.
 *
 * @param options.port Fixed port (default: a free one).
 * @param options.token Token (default: random); pass `null` for no token flag.
 * @param options.args Extra `gateway run` args.
 * @param options.env Extra env (e.g. CLAWGATE_TICK_INTERVAL_MS).
 * @param options.stateDir Reuse a state dir (e.g. across restarts); `null`: set no
 *   CLAWGATE_STATE_DIR (the profile and HOME in `env` choose it).
 * @param options.globalArgs Args before `gateway run`, e.g. `["--profile", "a"]`.
 * @param options.portFlag Pass `--port` (default true); false: `port` is only where readiness is
 *   checked (a profile's derived port).
 * @param options.maxOpenFiles Run under `ulimit -n N` (through `sh -c`, exec'ing the gateway).
 * @param options.tls The gateway serves TLS (pass `--tls-cert`/`--tls-key` in `args`): readiness
 *   is a TCP connect (the listener binds once the gateway is ready) and `url` is `wss://`.
 * @throws {Error} If the gateway exits or is not ready within 20 s.
 */
export async function startGatewayProcess(
  options: {
    port?: number;
    token?: string | null;
    args?: string[];
    env?: Record<string, string>;
    stateDir?: string | null;
    configPath?: string;
    tls?: boolean;
    globalArgs?: string[];
    portFlag?: boolean;
    maxOpenFiles?: number;
    /** The `clawgate` launcher to run (another checkout's `scripts/clawgate`). @default {CLAWGATE} */
    bin?: string;
  } = {},
): Promise<GatewayProcess> {
  const port = options.port ?? freePort();
  const token = options.token === null ? "" : options.token ?? `tok-${crypto.randomUUID()}`;
  const stateDir = options.stateDir === null
    ? ""
    : options.stateDir ?? await Deno.makeTempDir({ prefix: "clawgate-gw-" });
  const args = [
    ...(options.globalArgs ?? []),
    "gateway",
    "run",
    ...(options.portFlag === false ? [] : ["--port", String(port)]),
    ...(token ? ["--token", token] : []),
    ...(options.args ?? []),
  ];
  if (options.configPath) args.unshift("--config", options.configPath);
  const limited = options.maxOpenFiles !== undefined;
  const bin = options.bin ?? CLAWGATE;
  const child = new Deno.Command(limited ? "sh" : bin, {
    args: limited
      ? ["-c", `ulimit -n ${options.maxOpenFiles} && exec "$0" "$@"`, bin, ...args]
      : args,
    env: baseEnv({ ...(stateDir ? { CLAWGATE_STATE_DIR: stateDir } : {}), ...(options.env ?? {}) }),
    clearEnv: true,
    stdout: "null",
    stderr: "piped",
    stdin: "null",
  }).spawn();
  let logs = "";
  const pump = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) logs += chunk;
  })();
  const status = child.status.then(async (s) => {
    await pump;
    return s;
  });
  let exited = false;
  status.then(() => (exited = true));
  const deadline = Date.now() + 20_000;
  while (true) {
    if (exited) throw new Error(`gateway exited before ready:\n${logs}`);
    try {
      if (options.tls) {
        (await Deno.connect({ hostname: "127.0.0.1", port })).close();
        break;
      }
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      await res.body?.cancel();
      if (res.ok) break;
    } catch { /* not yet */ }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await status;
      throw new Error(`gateway not ready within 20s:\n${logs}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url: `${options.tls ? "wss" : "ws"}://127.0.0.1:${port}`,
    token,
    stateDir,
    pid: child.pid,
    logs: () => logs,
    kill: (signal: Deno.Signal = "SIGTERM") => {
      try {
        child.kill(signal);
      } catch { /* exited */ }
    },
    stop: async () => {
      if (!exited) {
        try {
          child.kill("SIGTERM");
        } catch { /* exited */ }
        const t = setTimeout(() => {
          try {
            child.kill("SIGKILL");
          } catch { /* exited */ }
        }, 10_000);
        const s = await status;
        clearTimeout(t);
        return s.code;
      }
      return (await status).code;
    },
    status,
  };
}

/**
 * Writes `config` as JSON into a fresh temp dir.
 *
 * @returns The file's path (remove its directory when done).
 */
export async function tempConfigFile(config: unknown): Promise<string> {
  const path = `${await Deno.makeTempDir({ prefix: "clawgate-cfg-" })}/clawgate.json`;
  await Deno.writeTextFile(path, JSON.stringify(config));
  return path;
}
