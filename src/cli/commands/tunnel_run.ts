/**
 * The foreground tunnel supervisor behind `clawgate tunnel [target]` and `tunnel up [NAME]`
 * (also what a detached `tunnel up -d` runs): claims the forward (one supervisor per target),
 * picks the local port, runs the {@linkcode TunnelSupervisor}, reports each state change
 * (stderr; NDJSON with `--json`) and keeps the supervisor record current for `tunnel status`.
 * @module
 */
import type { CliContext } from "../context.ts";
import { CliError, ExitCode } from "../exit_code.ts";
import { writeJsonLine } from "../render.ts";
import { toCliError } from "../to_cli_error.ts";
import { chooseLocalPort } from "../../tunnel/local_port.ts";
import { routeSshArgs, type SshRoute } from "../../tunnel/remote_target.ts";
import { reapOrphans } from "../../tunnel/ledger.ts";
import { type TunnelStateEvent, TunnelSupervisor } from "../../tunnel/supervisor.ts";
import { ledgerSupervisorDeps } from "../../tunnel/supervisor_deps.ts";
import {
  claimRecord,
  releaseRecord,
  type SupervisorRecord,
  updateRecord,
} from "../../tunnel/supervisor_record.ts";
import { stateLine } from "../../tunnel/state_line.ts";
import { healthThroughTunnel } from "../../tunnel/health_check.ts";
import { tunnelFailure } from "../../tunnel/tunnel_error.ts";

/** Options of {@linkcode runForegroundTunnel}. */
export interface ForegroundTunnelOptions {
  /** Local port to try first. */
  localPort: number;
  /** `--local-port` given: a busy port is an error, never a fallback. */
  pinned: boolean;
  remoteName?: string;
  /** `background` when this process is the detached child of `tunnel up -d`. */
  mode: "foreground" | "background";
  probeIntervalMs?: number;
  probeTimeoutMs?: number;
  /** `--once`: up, check (health with credentials), down; no supervisor record. */
  once?: { token?: string; password?: string; timeoutMs: number };
  /** A background supervisor's log file, shown by `tunnel status`. */
  logPath?: string;
}

/**
 * Supervises the forward until the signal aborts (exit 0) or ssh fails fatally.
 *
 * @throws {CliError} Another supervisor holds the forward (exit 1), a usage problem (exit 2).
 * @throws {TunnelError} ssh failed: `auth`/`host-key` → exit 7, otherwise exit 4.
 */
export async function runForegroundTunnel(
  ctx: CliContext,
  route: SshRoute,
  o: ForegroundTunnelOptions,
): Promise<number> {
  const { stateDir } = await ctx.config();
  let localPort = o.localPort;
  const now = Date.now();
  const record: SupervisorRecord = {
    pid: Deno.pid,
    key: route.key,
    remoteName: o.remoteName,
    target: route.sshTarget,
    localPort,
    remotePort: route.remotePort,
    mode: o.mode,
    startedAtMs: now,
    state: "connecting",
    stateSinceMs: now,
    spawns: 0,
    logPath: o.logPath,
  };
  if (!o.once) {
    const claim = await claimRecord(stateDir, record);
    if (!claim.claimed) throw alreadyRunning(claim.holder);
  }
  try {
    const reaped = await reapOrphans(stateDir).catch(() => [] as number[]);
    for (const pid of reaped) {
      ctx.stderr(`tunnel: reaped orphaned ssh pid ${pid} from an earlier run\n`);
    }
    const choice = await chooseLocalPort(o.localPort, o.pinned);
    if (choice.fallback) {
      localPort = record.localPort = choice.port;
      ctx.stderr(`tunnel: ${choice.fallback.reason}; using 127.0.0.1:${localPort}\n`);
    }
    return await supervise(ctx, route, o, record, localPort);
  } finally {
    if (!o.once) await releaseRecord(stateDir, route.key, Deno.pid);
  }
}

function alreadyRunning(holder: SupervisorRecord): CliError {
  return new CliError(
    "usage",
    `A tunnel to ${holder.target} already runs: 127.0.0.1:${holder.localPort}, ${holder.state}, supervisor pid ${holder.pid} (${holder.mode})`,
    {
      exitCode: ExitCode.ERROR,
      hint: `Use it as it is, or stop it first with \`clawgate tunnel down${
        holder.remoteName ? ` ${holder.remoteName}` : ""
      }\``,
      details: { holder },
    },
  );
}

async function supervise(
  ctx: CliContext,
  route: SshRoute,
  o: ForegroundTunnelOptions,
  record: SupervisorRecord,
  localPort: number,
): Promise<number> {
  const { stateDir } = await ctx.config();
  let args: string[];
  try {
    args = routeSshArgs(route, localPort);
  } catch (err) {
    throw new CliError("usage", (err as Error).message, {
      exitCode: ExitCode.USAGE,
      hint: "See `clawgate tunnel --help`",
    });
  }
  const target = route.sshTarget;
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
        remotePort: route.remotePort,
        ...ev,
      });
    }
    ctx.stderr(stateLine(ev, route.destination, localPort, route.remotePort));
    if (!o.once) {
      Object.assign(record, {
        state: ev.state,
        stateSinceMs: ev.ts,
        spawns: ev.attempt,
        sshPid: ev.pid ?? (ev.state === "connecting" ? undefined : record.sshPid),
        upSinceMs: ev.state === "up" ? (record.upSinceMs ?? ev.ts) : undefined,
        ...(ev.reason && ev.state !== "up"
          ? { lastError: { kind: ev.kind, message: ev.reason, atMs: ev.ts } }
          : {}),
      });
      void updateRecord(stateDir, record);
      return;
    }
    if (onceResult) return;
    if (ev.state === "up") {
      onceResult = (o.once.token || o.once.password)
        ? healthThroughTunnel(url, o.once, o.once.timeoutMs).then(
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
          `ssh forward to ${target} is up, but no gateway answered on its port ${route.remotePort}: ${ev.reason}`,
          {
            exitCode: ExitCode.UNREACHABLE,
            hint: "Start `clawgate gateway run` on the server, or pass the right --remote-port",
          },
        ),
      });
      onceStop.abort();
    }
  };

  const supervisor = new TunnelSupervisor(
    {
      args,
      localPort,
      onState,
      probeIntervalMs: o.probeIntervalMs,
      probeTimeoutMs: o.probeTimeoutMs,
      onWake: (jumpMs) =>
        ctx.stderr(
          `tunnel: clock jumped ${
            Math.round(jumpMs / 1000)
          }s (woke from sleep?); re-checking the link now\n`,
        ),
      maxSpawns: o.once ? 1 : undefined,
    },
    ledgerSupervisorDeps(stateDir, {
      target: route.destination,
      sshPort: route.sshPort,
      localPort,
      remotePort: route.remotePort,
      key: route.key,
      remoteName: o.remoteName,
      kind: o.once ? "on-demand" : o.mode,
    }, (line) => ctx.logger.debug(`ssh: ${line}`)),
  );
  const result = await supervisor.run(AbortSignal.any([ctx.signal, onceStop.signal]));

  const err = tunnelFailure(result, target);
  if (err) {
    // A long-running supervisor that gave up for an unknown reason is a plain error (1).
    if (!err.refused && err.kind === "unknown" && !o.once) {
      throw new CliError("unreachable", err.message, {
        exitCode: ExitCode.ERROR,
        hint: err.hint,
        details: { kind: err.kind, spawns: err.spawns },
      });
    }
    throw err;
  }
  if (!o.once) return ExitCode.OK;
  const r = await onceResult;
  if (!r) return ctx.signal.aborted ? ExitCode.OK : ExitCode.ERROR;
  if (!r.ok && r.error) throw r.error;
  if (ctx.globals.json) {
    writeJsonLine(ctx, {
      schemaVersion: 1,
      type: "tunnel.result",
      ok: true,
      target,
      localPort,
      remotePort: route.remotePort,
      health: r.health,
    });
  } else {
    ctx.stdout(
      `tunnel ok: 127.0.0.1:${localPort} → ${route.destination}:${route.remotePort}, gateway answered${
        r.health ? " health" : " the challenge"
      }\n`,
    );
  }
  return ExitCode.OK;
}
