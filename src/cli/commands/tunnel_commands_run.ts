/**
 * What `clawgate tunnel [user@]host …` (foreground supervisor of `ssh -N -L`), `tunnel up [NAME]
 * [-d]` (a remote's supervisor, detached with `-d`), `tunnel status`, `tunnel down [NAME|--all]`
 * and `tunnel stop` (ledger-based, kept for scripts) run; ./tunnel.ts declares them. State
 * changes: human lines on stderr; with `--json`, NDJSON `{"schemaVersion":1,"type":"tunnel.state",…}`
 * lines on stdout. Exit codes: 0 ok/stopped, 1 another supervisor holds the forward, 2 usage, 4
 * ssh unreachable or failing (also a pinned local port busy), 5 `up -d` not up in time, 7 auth
 * or host-key refusal.
 * @module
 */
import type { CliContext } from "../context.ts";
import { ExitCode } from "../exit_code.ts";
import { writeJson } from "../render.ts";
import type { Action } from "../spec.ts";
import { type Credentials, pickCredentials } from "../credentials.ts";
import { resolveRemote } from "../../tunnel/remote_target.ts";
import { resolveTunnelRoute, type RouteFlags } from "./tunnel_route.ts";

interface TunnelFlags extends RouteFlags {
  localPort?: number;
  once?: boolean;
  token?: string;
  password?: string;
  probeIntervalMs?: number;
  timeout?: number;
}

interface UpFlags {
  localPort?: number;
  detach?: boolean;
  probeIntervalMs?: number;
  timeout?: number;
  logFile?: string;
}

/** `tunnel [target]`: the foreground supervisor. */
export const tunnelMain: Action = (ctx, { args, flags }) =>
  runTunnel(ctx, args.target as string | undefined, flags as TunnelFlags);

/** `tunnel up [name] [-d]`. */
export const upMain: Action = async (ctx, input) => {
  const name = input.args.name as string | undefined;
  const flags = input.flags as UpFlags;
  const r = await resolveTunnelRoute(ctx, undefined, {}, name ?? ctx.globals.remote);
  if (flags.detach) {
    const loaded = await ctx.config();
    return await (await import("./tunnel_background.ts")).startDetached(ctx, r, [
      ...(loaded.exists ? ["--config", loaded.path] : []),
      ...(ctx.globals.profile ? ["--profile", ctx.globals.profile] : []),
      "tunnel",
      "up",
      ...(r.remoteName ? [r.remoteName] : []),
      ...(flags.localPort ? ["--local-port", String(flags.localPort)] : []),
      "--probe-interval-ms",
      String(flags.probeIntervalMs ?? 10_000),
      "--timeout",
      String(flags.timeout ?? 5_000),
    ]);
  }
  return await (await import("./tunnel_run.ts")).runForegroundTunnel(ctx, r.route, {
    localPort: flags.localPort ?? r.defaultLocalPort,
    pinned: flags.localPort !== undefined,
    remoteName: r.remoteName,
    mode: flags.logFile ? "background" : "foreground",
    logPath: flags.logFile,
    probeIntervalMs: flags.probeIntervalMs,
    probeTimeoutMs: flags.timeout,
  });
};

/** `tunnel status`. */
export const statusMain: Action = async (ctx) =>
  (await import("./tunnel_background.ts")).tunnelStatus(ctx);

/** `tunnel down [name|--all]`. */
export const downMain: Action = async (ctx, input) => {
  const name = input.args.name as string | undefined;
  const flags = input.flags as { all?: boolean };
  const { stateDir } = await ctx.config();
  const keys = flags.all
    ? undefined
    : [(await resolveTunnelRoute(ctx, undefined, {}, name ?? ctx.globals.remote)).route.key];
  const down = await (await import("./tunnel_background.ts")).tunnelDown(stateDir, keys);
  const failed = down.filter((d) => d.how === "still-running");
  if (ctx.globals.json) writeJson(ctx, { schemaVersion: 1, ok: failed.length === 0, down });
  else if (!down.length) ctx.stdout("no supervised tunnel to stop\n");
  else {
    for (const d of down) {
      ctx.stdout(
        `${
          d.remoteName ?? d.target
        }: 127.0.0.1:${d.localPort} → ${d.target}: supervisor pid ${d.pid} ${d.how}\n`,
      );
    }
  }
  return failed.length ? ExitCode.ERROR : ExitCode.OK;
};

/** `tunnel stop [--local-port N]`. */
export const stopMain: Action = async (ctx, input) => {
  const flags = input.flags as { localPort?: number };
  const { stateDir } = await ctx.config();
  const stopped = await (await import("../../tunnel/stop.ts")).stopTunnels(stateDir, {
    localPort: flags.localPort,
  });
  const failed = stopped.filter((s) => s.how === "still-running");
  if (ctx.globals.json) writeJson(ctx, { schemaVersion: 1, ok: failed.length === 0, stopped });
  else if (!stopped.length) ctx.stdout("no tunnels to stop\n");
  else {
    for (const s of stopped) {
      ctx.stdout(`127.0.0.1:${s.localPort} → ${s.target}: ssh pid ${s.pid} ${s.how}\n`);
    }
  }
  return failed.length ? ExitCode.ERROR : ExitCode.OK;
};

async function runTunnel(
  ctx: CliContext,
  targetArg: string | undefined,
  flags: TunnelFlags,
): Promise<number> {
  const r = await resolveTunnelRoute(ctx, targetArg, flags, ctx.globals.remote);
  const { token, password } = await tunnelCredentials(ctx, targetArg, flags);
  ctx.logger.addSecret(token);
  ctx.logger.addSecret(password);
  return await (await import("./tunnel_run.ts")).runForegroundTunnel(ctx, r.route, {
    localPort: flags.localPort ?? r.defaultLocalPort,
    pinned: flags.localPort !== undefined,
    remoteName: r.remoteName,
    mode: "foreground",
    probeIntervalMs: flags.probeIntervalMs,
    probeTimeoutMs: flags.timeout,
    once: flags.once ? { token, password, timeoutMs: flags.timeout ?? 5000 } : undefined,
  });
}

/**
 * The secret `tunnel --once` checks the gateway with (../credentials.ts): flags > env > the
 * selected remote's `token`/`password`, or `gateway.remote`'s when no remote is selected (its
 * `sshTarget` is then the default target). An explicit target gets flag or env credentials only.
 *
 * @param targetArg The `user@host` argument, when given.
 */
export async function tunnelCredentials(
  ctx: CliContext,
  targetArg: string | undefined,
  flags: { token?: string; password?: string },
): Promise<Partial<Credentials>> {
  const loaded = await ctx.config();
  const remote = targetArg === undefined
    ? resolveRemote(loaded.config, { remoteName: ctx.globals.remote, env: ctx.env })
    : undefined;
  const configured = remote
    ? { token: remote.token, password: remote.password, authSource: `config ${remote.configKey}` }
    : { ...loaded.config.gateway?.remote, authSource: "config gateway.remote" };
  return pickCredentials({
    flags,
    env: ctx.env,
    config: targetArg === undefined ? [configured] : [],
  }) ?? {};
}
