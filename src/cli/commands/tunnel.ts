/**
 * `clawgate tunnel [user@]host …` (foreground supervisor of `ssh -N -L`), `tunnel up [NAME]
 * [-d]` (a remote's supervisor, detached with `-d`), `tunnel status`, `tunnel down [NAME|--all]`
 * and `tunnel stop` (ledger-based, kept for scripts). State changes: human lines on stderr;
 * with `--json`, NDJSON `{"schemaVersion":1,"type":"tunnel.state",…}` lines on stdout. Exit
 * codes: 0 ok/stopped, 1 another supervisor holds the forward, 2 usage, 4 ssh unreachable or
 * failing (also a pinned local port busy), 5 `up -d` not up in time, 7 auth or host-key refusal.
 * @module
 */
import { Command, Option } from "commander";
import type { Runner } from "../runner.ts";
import type { CliContext } from "../context.ts";
import { ExitCode } from "../exit_code.ts";
import { writeJson } from "../render.ts";
import { envSetting } from "../../config/load.ts";
import { HOST_KEY_POLICIES } from "../../tunnel/ssh_args.ts";
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

/** A commander parser for a 1-65535 port flag named `what`. */
export const portArg = (what: string) => (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new Error(`${what} must be 1-65535, got "${v}"`);
  }
  return n;
};
const msArg = (v: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 100) throw new Error(`expected milliseconds >= 100, got "${v}"`);
  return n;
};

/** Builds the `tunnel` command group. */
export function tunnelCommand(run: Runner): Command {
  const cmd = new Command("tunnel")
    .description(
      "Reach a loopback-only remote gateway: spawn and supervise `ssh -N -L 127.0.0.1:LOCAL:127.0.0.1:REMOTE`",
    )
    .argument(
      "[target]",
      "[user@]host[:port] (default: the selected remote's or gateway.remote's sshTarget)",
    )
    .option("--ssh-port <n>", "sshd port on the host", portArg("--ssh-port"))
    .option(
      "--identity <file>",
      "private key (adds IdentitiesOnly=yes); default the remote's sshIdentity",
    )
    .option(
      "--local-port <n>",
      "local port, pinned (default: the gateway port, 18789, or a free one when that is taken)",
      portArg("--local-port"),
    )
    .option(
      "--remote-port <n>",
      "gateway port on the host (default: the remote's remotePort or the gateway port)",
      portArg("--remote-port"),
    )
    .addOption(
      new Option(
        "--host-key-policy <policy>",
        "strict: known host keys only; accept-new: trust on first use; openssh: your ssh config decides (default: the remote's hostKeyPolicy, else strict)",
      ).choices(HOST_KEY_POLICIES as string[]),
    )
    .option(
      "--ssh-option <K=V>",
      "extra `-o K=V` for ssh (repeatable; wins over the remote's sshOptions and clawgate's defaults)",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option("--once", "bring the tunnel up, check the gateway through it, tear it down, exit")
    .option(
      "--token <token>",
      "gateway token for the `health` check (else env / the remote's token)",
    )
    .option("--token-file <file>", "read the health-check token from a file")
    .option("--password <password>", "gateway password for the `health` check")
    .option("--password-file <file>", "read the health-check password from a file")
    .option("--probe-interval-ms <ms>", "gap between gateway probes while connected", msArg, 10_000)
    .option("--timeout <ms>", "deadline per readiness probe / health call", msArg, 5_000)
    .action(
      run((ctx, target: string | undefined, flags: TunnelFlags) => runTunnel(ctx, target, flags)),
    );

  cmd.command("up").description(
    "supervise the tunnel to a remote (remotes.NAME, else the default remote); -d: in the background",
  )
    .argument("[name]", "remote name (default: --remote, CLAWGATE_REMOTE, or gateway.remote)")
    .option("-d, --detach", "detach: keep supervising after this command exits")
    .option("--local-port <n>", "local port, pinned (busy = error)", portArg("--local-port"))
    .option("--probe-interval-ms <ms>", "gap between gateway probes while connected", msArg, 10_000)
    .option("--timeout <ms>", "deadline per readiness probe", msArg, 5_000)
    .addOption(
      new Option("--log-file <path>", "(internal) set by `up -d` for its child").hideHelp(),
    )
    .action(run(async (ctx, name: string | undefined, flags: UpFlags) => {
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
    }));

  cmd.command("status").description(
    "show supervised tunnels (target, local port, state, uptime, restarts, last error, pid) and recorded ssh processes",
  ).action(run(async (ctx) => (await import("./tunnel_background.ts")).tunnelStatus(ctx)));

  cmd.command("down").description("stop a supervised tunnel (its supervisor and ssh)")
    .argument("[name]", "remote name (default: --remote, CLAWGATE_REMOTE, or gateway.remote)")
    .option("--all", "stop every supervised tunnel")
    .action(run(async (ctx, name: string | undefined, flags: { all?: boolean }) => {
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
    }));

  cmd.command("stop").description("stop recorded tunnels (their clawgate and ssh)")
    .option("--local-port <n>", "only the tunnel on this local port", portArg("--local-port"))
    .action(run(async (ctx, flags: { localPort?: number }) => {
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
    }));
  return cmd;
}

async function runTunnel(
  ctx: CliContext,
  targetArg: string | undefined,
  flags: TunnelFlags,
): Promise<number> {
  const r = await resolveTunnelRoute(ctx, targetArg, flags, ctx.globals.remote);
  const loaded = await ctx.config();
  const remote = targetArg === undefined
    ? resolveRemote(loaded.config, { remoteName: ctx.globals.remote, env: ctx.env })
    : undefined;
  const gwRemote = loaded.config.gateway?.remote;
  const token = flags.token ?? envSetting(ctx.env, "GATEWAY_TOKEN")?.value ?? remote?.token ??
    gwRemote?.token;
  const password = flags.password ?? envSetting(ctx.env, "GATEWAY_PASSWORD")?.value ??
    remote?.password ?? gwRemote?.password;
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
