/**
 * `clawgate tunnel [user@]host …` (foreground supervisor of `ssh -N -L`), `tunnel status` and
 * `tunnel stop`. State changes: human lines on stderr; with `--json`, NDJSON
 * `{"schemaVersion":1,"type":"tunnel.state",…}` lines on stdout. Exit codes: 0 ok/stopped,
 * 2 usage, 4 ssh unreachable/failing (also local port busy), 7 auth or host-key refusal.
 * @module
 */
import { Command, Option } from "commander";
import type { Runner } from "../app.ts";
import type { CliContext } from "../context.ts";
import { CliError, ExitCode } from "../exit_code.ts";
import { table, writeJson, writeJsonLine } from "../render.ts";
import { toCliError } from "../to_cli_error.ts";
import { envSetting, resolveGatewayPort } from "../../config/load.ts";
import { createDenoSpawner } from "../../platform/spawner.ts";
import { probeChallenge } from "../../transport/challenge_probe.ts";
import { checkLocalPortFree, tcpAccepts } from "../../transport/port_check.ts";
import { buildSshArgs, HOST_KEY_POLICIES, type HostKeyPolicy } from "../../tunnel/ssh_args.ts";
import { addLedgerEntry, reapOrphans, removeLedgerEntry, viewLedger } from "../../tunnel/ledger.ts";
import { type TunnelStateEvent, TunnelSupervisor } from "../../tunnel/supervisor.ts";
import { stateLine } from "../../tunnel/state_line.ts";
import { stopTunnels } from "../../tunnel/stop.ts";
import { healthThroughTunnel } from "../../tunnel/health_check.ts";

interface TunnelFlags {
  sshPort?: number;
  identity?: string;
  localPort?: number;
  remotePort?: number;
  hostKeyPolicy?: HostKeyPolicy;
  sshOption: string[];
  once?: boolean;
  token?: string;
  password?: string;
  probeIntervalMs?: number;
  timeout?: number;
}

const portArg = (what: string) => (v: string): number => {
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
    .argument("[target]", "[user@]host (default: gateway.remote.sshTarget)")
    .option("--ssh-port <n>", "sshd port on the host", portArg("--ssh-port"))
    .option(
      "--identity <file>",
      "private key (adds IdentitiesOnly=yes); default gateway.remote.sshIdentity",
    )
    .option(
      "--local-port <n>",
      "local port (default: the gateway port, 18789)",
      portArg("--local-port"),
    )
    .option(
      "--remote-port <n>",
      "gateway port on the host (default: gateway.remote.remotePort or the gateway port)",
      portArg("--remote-port"),
    )
    .addOption(
      new Option(
        "--host-key-policy <policy>",
        "strict: known host keys only; accept-new: trust on first use; openssh: your ssh config decides",
      )
        .choices(HOST_KEY_POLICIES as string[]).default("strict"),
    )
    .option(
      "--ssh-option <K=V>",
      "extra `-o K=V` for ssh (repeatable; wins over clawgate's defaults)",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option("--once", "bring the tunnel up, check the gateway through it, tear it down, exit")
    .option(
      "--token <token>",
      "gateway token for the `health` check (else env / gateway.remote.token)",
    )
    .option("--token-file <file>", "read the health-check token from a file")
    .option("--password <password>", "gateway password for the `health` check")
    .option("--password-file <file>", "read the health-check password from a file")
    .option("--probe-interval-ms <ms>", "gap between gateway probes while connected", msArg, 10_000)
    .option("--timeout <ms>", "deadline per readiness probe / health call", msArg, 5_000)
    .action(
      run((ctx, target: string | undefined, flags: TunnelFlags) => runTunnel(ctx, target, flags)),
    );

  cmd.command("status").description("show tunnels recorded in the state dir ledger").action(
    run(async (ctx) => {
      const { stateDir } = await ctx.config();
      const tunnels = await viewLedger(stateDir);
      if (ctx.globals.json) {
        writeJson(ctx, { schemaVersion: 1, ok: true, tunnels });
        return;
      }
      if (!tunnels.length) return void ctx.stdout("no tunnels recorded\n");
      ctx.stdout(
        table(
          ["LOCAL", "TARGET", "REMOTE", "SSH PID", "SSH", "OWNER", "SINCE"],
          tunnels.map((t) => [
            `127.0.0.1:${t.localPort}`,
            t.target,
            String(t.remotePort),
            String(t.pid),
            t.sshAlive ? "running" : "gone",
            `${t.ownerPid}${t.ownerAlive ? "" : " (dead)"}`,
            new Date(t.startedAtMs).toISOString(),
          ]),
        ) + "\n",
      );
    }),
  );

  cmd.command("stop").description("stop recorded tunnels (their clawgate and ssh)")
    .option("--local-port <n>", "only the tunnel on this local port", portArg("--local-port"))
    .action(run(async (ctx, flags: { localPort?: number }) => {
      const { stateDir } = await ctx.config();
      const stopped = await stopTunnels(stateDir, { localPort: flags.localPort });
      const failed = stopped.filter((s) => s.how === "still-running");
      if (ctx.globals.json) writeJson(ctx, { schemaVersion: 1, ok: failed.length === 0, stopped });
      else if (!stopped.length) ctx.stdout("no tunnels to stop\n");
      else {for (const s of stopped) {
          ctx.stdout(`127.0.0.1:${s.localPort} → ${s.target}: ssh pid ${s.pid} ${s.how}\n`);
        }}
      return failed.length ? ExitCode.ERROR : ExitCode.OK;
    }));
  return cmd;
}

async function runTunnel(
  ctx: CliContext,
  targetArg: string | undefined,
  flags: TunnelFlags,
): Promise<number> {
  const loaded = await ctx.config();
  const remote = loaded.config.gateway?.remote ?? {};
  const target = targetArg ?? remote.sshTarget;
  if (!target) {
    throw new CliError("usage", "No ssh target given", {
      exitCode: ExitCode.USAGE,
      hint: "Run `clawgate tunnel user@host`, or set gateway.remote.sshTarget in the config",
    });
  }
  const gatewayPort = resolveGatewayPort(undefined, ctx.env, loaded.config);
  const localPort = flags.localPort ?? gatewayPort;
  const remotePort = flags.remotePort ?? remote.remotePort ?? gatewayPort;
  let args: string[];
  try {
    args = buildSshArgs({
      target,
      localPort,
      remotePort,
      sshPort: flags.sshPort,
      identity: flags.identity ?? remote.sshIdentity,
      hostKeyPolicy: flags.hostKeyPolicy,
      sshOptions: flags.sshOption,
    });
  } catch (err) {
    throw new CliError("usage", (err as Error).message, {
      exitCode: ExitCode.USAGE,
      hint: "See `clawgate tunnel --help`",
    });
  }
  const stateDir = loaded.stateDir;
  const reaped = await reapOrphans(stateDir, localPort).catch(() => [] as number[]);
  for (const pid of reaped) {
    ctx.stderr(`tunnel: reaped orphaned ssh pid ${pid} from an earlier run\n`);
  }

  const token = flags.token ?? envSetting(ctx.env, "GATEWAY_TOKEN")?.value ?? remote.token;
  const password = flags.password ?? envSetting(ctx.env, "GATEWAY_PASSWORD")?.value ??
    remote.password;
  ctx.logger.addSecret(token);
  ctx.logger.addSecret(password);
  const url = `ws://127.0.0.1:${localPort}`;
  const onceStop = new AbortController();
  let onceResult: Promise<{ ok: boolean; error?: CliError; health?: unknown }> | undefined;

  const onState = (ev: TunnelStateEvent) => {
    if (ctx.globals.json) {
      writeJsonLine(ctx, {
        schemaVersion: 1,
        type: "tunnel.state",
        target,
        localPort,
        remotePort,
        ...ev,
      });
    }
    ctx.stderr(stateLine(ev, target, localPort, remotePort));
    if (!flags.once || onceResult) return;
    if (ev.state === "up") {
      onceResult = (token || password)
        ? healthThroughTunnel(url, { token, password }, flags.timeout ?? 5000).then(
          (health) => ({ ok: true, health }),
          (err) => ({ ok: false, error: toCliError(err) }),
        )
        : Promise.resolve({ ok: true });
      onceResult.finally(() => onceStop.abort());
    } else if (ev.state === "gateway-down") {
      onceResult = Promise.resolve({
        ok: false,
        error: new CliError(
          "unreachable",
          `ssh forward to ${target} is up, but no gateway answered on its port ${remotePort}: ${ev.reason}`,
          {
            exitCode: ExitCode.UNREACHABLE,
            hint: "Start `clawgate gateway run` on the server, or pass the right --remote-port",
          },
        ),
      });
      onceStop.abort();
    }
  };

  const supervisor = new TunnelSupervisor({
    args,
    localPort,
    onState,
    probeIntervalMs: flags.probeIntervalMs,
    probeTimeoutMs: flags.timeout,
    onWake: (jumpMs) =>
      ctx.stderr(
        `tunnel: clock jumped ${
          Math.round(jumpMs / 1000)
        }s (woke from sleep?); re-checking the link now\n`,
      ),
    maxSpawns: flags.once ? 1 : undefined,
  }, {
    spawner: createDenoSpawner(),
    probe: (u, o) => probeChallenge(u, o),
    tcpAccepts,
    checkPortFree: checkLocalPortFree,
    onSpawn: (pid) =>
      addLedgerEntry(stateDir, {
        pid,
        ownerPid: Deno.pid,
        target,
        localPort,
        remotePort,
        startedAtMs: Date.now(),
      }),
    onExit: (pid) => removeLedgerEntry(stateDir, pid),
    onStderr: (line) => ctx.logger.debug(`ssh: ${line}`),
  });
  const result = await supervisor.run(AbortSignal.any([ctx.signal, onceStop.signal]));

  if (result.state === "failed" && result.failure) {
    const f = result.failure;
    const refused = f.kind === "auth" || f.kind === "host-key";
    throw new CliError(
      refused ? "auth" : "unreachable",
      `Tunnel to ${target} failed: ${f.message}`,
      {
        exitCode: refused
          ? ExitCode.AUTH
          : f.kind === "unknown" && !flags.once
          ? ExitCode.ERROR
          : ExitCode.UNREACHABLE,
        hint: f.hint,
        details: { kind: f.kind, spawns: result.spawns },
      },
    );
  }
  if (flags.once) {
    const r = await onceResult;
    if (!r) return ExitCode.OK + (ctx.signal.aborted ? 0 : ExitCode.ERROR);
    if (!r.ok && r.error) throw r.error;
    if (ctx.globals.json) {
      writeJsonLine(ctx, {
        schemaVersion: 1,
        type: "tunnel.result",
        ok: true,
        target,
        localPort,
        remotePort,
        health: r.health,
      });
    } else {ctx.stdout(
        `tunnel ok: 127.0.0.1:${localPort} → ${target}:${remotePort}, gateway answered${
          r.health ? " health" : " the challenge"
        }\n`,
      );}
  }
  return ExitCode.OK;
}
