/**
 * Background tunnels: `tunnel up -d` starts a detached `clawgate tunnel up` (its own session,
 * output appended to `<stateDir>/tunnels/<slug>.log`) and waits until it reports `up` (or
 * fails); `tunnel down` stops supervisors (SIGTERM, grace, SIGKILL) and reaps their ssh;
 * `tunnel status` lists supervisor records and the ssh ledger, reaping the ssh of crashed
 * supervisors.
 * @module
 */
import { join } from "node:path";
import { currentSelf, selfCommand } from "../../service/program_args.ts";
import { reapOrphans, viewLedger } from "../../tunnel/ledger.ts";
import { sleep } from "../../tunnel/supervisor.ts";
import {
  isSupervisorPid,
  listRecords,
  readRecord,
  recordsDir,
  recordSlug,
  releaseRecord,
  type SupervisorRecord,
  type SupervisorView,
} from "../../tunnel/supervisor_record.ts";
import type { CliContext } from "../context.ts";
import { CliError, ExitCode, type ExitCodeValue, interruptedError } from "../exit_code.ts";
import { formatAge, table, writeJson } from "../render.ts";
import type { TunnelRoute } from "./tunnel_route.ts";

/**
 * Starts a detached supervisor for `r` and waits (up to `readyTimeoutMs`) for its verdict.
 *
 * @param childArgs `tunnel up …` arguments for the child (without `-d`).
 * @returns Exit 0 once the supervisor reports `up` or `gateway-down` (it keeps running).
 * @throws {CliError} Another supervisor holds the forward (1), the child failed (its code), not
 *   up in time (5), or interrupted while waiting (130 SIGINT / 143 SIGTERM; the supervisor is
 *   stopped first).
 */
export async function startDetached(
  ctx: CliContext,
  r: TunnelRoute,
  childArgs: string[],
  readyTimeoutMs = 60_000,
): Promise<number> {
  const { stateDir } = await ctx.config();
  const existing = await readRecord(stateDir, r.route.key);
  if (existing && await isSupervisorPid(existing.pid)) {
    throw new CliError(
      "usage",
      `A tunnel to ${existing.target} already runs: 127.0.0.1:${existing.localPort}, ${existing.state}, supervisor pid ${existing.pid}`,
      {
        exitCode: ExitCode.ERROR,
        hint: `Use it as it is, or stop it first with \`clawgate tunnel down${
          existing.remoteName ? ` ${existing.remoteName}` : ""
        }\``,
      },
    );
  }
  await Deno.mkdir(recordsDir(stateDir), { recursive: true, mode: 0o700 });
  const logPath = join(recordsDir(stateDir), `${recordSlug(r.route.key)}.log`);
  // The same binary (or deno + main.ts with the same permission list) as the service units use.
  const [selfCmd, ...selfArgs] = selfCommand(await currentSelf(ctx.env));
  // sh only redirects the child's output to the log (Deno.Command cannot open files for it).
  const child = new Deno.Command("/bin/sh", {
    args: [
      "-c",
      'exec "$0" "$@" >>"$CLAWGATE_TUNNEL_LOG" 2>&1',
      selfCmd,
      ...selfArgs,
      ...childArgs,
      "--log-file",
      logPath,
    ],
    env: { CLAWGATE_TUNNEL_LOG: logPath },
    stdin: "null",
    stdout: "null",
    stderr: "null",
    detached: true,
  }).spawn();
  let exited: Deno.CommandStatus | undefined;
  child.status.then((s) => (exited = s));
  ctx.stderr(`starting background tunnel to ${r.route.sshTarget}… (log: ${logPath})\n`);
  const deadline = Date.now() + readyTimeoutMs;
  let record: SupervisorRecord | undefined;
  while (Date.now() < deadline && !exited && !ctx.signal.aborted) {
    const rec = await readRecord(stateDir, r.route.key);
    if (rec?.pid === child.pid && (rec.state === "up" || rec.state === "gateway-down")) {
      record = rec;
      break;
    }
    await sleep(100, ctx.signal);
  }
  child.unref();
  if (record) {
    const line = `tunnel ${
      r.remoteName ?? record.target
    } ${record.state}: 127.0.0.1:${record.localPort} → ${record.target} (remote port ${record.remotePort}), supervisor pid ${record.pid}`;
    if (ctx.globals.json) writeJson(ctx, { schemaVersion: 1, ok: true, tunnel: record });
    else ctx.stdout(`${line}\n`);
    if (record.state === "gateway-down") {
      ctx.stderr(
        `warning: ssh is up but no gateway answers on the remote port ${record.remotePort}; the tunnel keeps checking\n`,
      );
    }
    return ExitCode.OK;
  }
  if (!exited) {
    // Not up in time, or interrupted: do not leave a half-started supervisor behind (its ssh
    // is reaped from the ledger; its record goes even when it died before removing it).
    await stopSupervisor(stateDir, child.pid);
    await releaseRecord(stateDir, r.route.key, child.pid);
    if (ctx.signal.aborted) {
      throw interruptedError(
        ctx.signal,
        `the background tunnel to ${r.route.sshTarget} was not up yet and has been stopped`,
      );
    }
    throw new CliError(
      "timeout",
      `The background tunnel to ${r.route.sshTarget} did not come up within ${readyTimeoutMs}ms`,
      { exitCode: ExitCode.TIMEOUT, hint: `See ${logPath}` },
    );
  }
  const log = await Deno.readTextFile(logPath).catch(() => "");
  const tail = log.split("\n").slice(-40);
  const message = tail.filter((l) => l.startsWith("error: ")).at(-1)?.slice(7) ??
    `the background supervisor exited with code ${exited.code}`;
  const hint = tail.filter((l) => l.startsWith("hint: ")).at(-1)?.slice(6) ?? `See ${logPath}`;
  throw new CliError(exited.code === ExitCode.AUTH ? "auth" : "unreachable", message, {
    exitCode: (exited.code || ExitCode.ERROR) as ExitCodeValue,
    hint,
  });
}

/** What `tunnel down` did to one supervisor. */
export interface DownResult {
  target: string;
  remoteName?: string;
  localPort: number;
  pid: number;
  /** `stopped`: it ended on SIGTERM/SIGKILL; `crashed`: it was already dead (ssh reaped). */
  how: "stopped" | "crashed" | "still-running";
}

/**
 * Stops the supervisors of `keys` (every record when undefined) and reaps their ssh.
 *
 * @returns One entry per record found.
 */
export async function tunnelDown(stateDir: string, keys?: string[]): Promise<DownResult[]> {
  const records = (await listRecords(stateDir)).filter((r) => !keys || keys.includes(r.key));
  const out: DownResult[] = [];
  for (const r of records) {
    const gone = r.alive ? await stopSupervisor(stateDir, r.pid) : true;
    if (gone) await releaseRecord(stateDir, r.key, r.pid);
    out.push({
      target: r.target,
      remoteName: r.remoteName,
      localPort: r.localPort,
      pid: r.pid,
      how: !gone ? "still-running" : r.alive ? "stopped" : "crashed",
    });
  }
  await reapOrphans(stateDir).catch(() => []);
  return out;
}

/** SIGTERM a supervisor, wait up to `graceMs`, then SIGKILL. @returns true once it is gone. */
async function stopSupervisor(stateDir: string, pid: number, graceMs = 8000): Promise<boolean> {
  const signal = (s: Deno.Signal) => {
    try {
      Deno.kill(pid, s);
    } catch { /* gone */ }
  };
  signal("SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && await isSupervisorPid(pid)) await sleep(50);
  if (await isSupervisorPid(pid)) {
    signal("SIGKILL");
    await sleep(200);
  }
  await reapOrphans(stateDir).catch(() => []);
  return !await isSupervisorPid(pid);
}

/**
 * `tunnel status`: supervisors (reaping the ssh of crashed ones) and the ssh ledger.
 *
 * @returns Always 0 (a crashed supervisor is reported, not an error of this command).
 */
export async function tunnelStatus(ctx: CliContext): Promise<number> {
  const { stateDir } = await ctx.config();
  const supervisors = await listRecords(stateDir);
  if (supervisors.some((s) => !s.alive)) await reapOrphans(stateDir).catch(() => []);
  const tunnels = await viewLedger(stateDir);
  const now = Date.now();
  const view: SupervisorRow[] = supervisors.map((s) => ({
    ...s,
    state: s.alive ? s.state : "crashed",
    uptimeMs: s.alive && s.upSinceMs ? now - s.upSinceMs : undefined,
    restarts: Math.max(0, s.spawns - 1),
  }));
  if (ctx.globals.json) {
    writeJson(ctx, { schemaVersion: 1, ok: true, supervisors: view, tunnels });
    return ExitCode.OK;
  }
  if (!supervisors.length && !tunnels.length) {
    ctx.stdout("no tunnels\n");
    return ExitCode.OK;
  }
  if (supervisors.length) ctx.stdout(supervisorTable(view, now) + "\n");
  if (tunnels.length) {
    ctx.stdout(
      "ssh processes (ledger):\n" + table(
        ["LOCAL", "TARGET", "REMOTE", "SSH PID", "SSH", "KIND", "OWNER", "SINCE"],
        tunnels.map((t) => [
          `127.0.0.1:${t.localPort}`,
          t.target,
          String(t.remotePort),
          String(t.pid),
          t.sshAlive ? "running" : "gone",
          t.kind ?? "foreground",
          `${t.ownerPid}${t.ownerAlive ? "" : " (dead)"}`,
          new Date(t.startedAtMs).toISOString(),
        ]),
      ) + "\n",
    );
  }
  return ExitCode.OK;
}

/** A record as `tunnel status` shows it. */
type SupervisorRow = Omit<SupervisorView, "state"> & {
  /** The record's state, or `crashed` when its supervisor died. */
  state: string;
  /** Milliseconds since the forward last came up (unset while not up). */
  uptimeMs?: number;
  restarts: number;
};

function supervisorTable(view: SupervisorRow[], now: number): string {
  return table(
    ["NAME", "TARGET", "LOCAL", "STATE", "UPTIME", "RESTARTS", "LAST ERROR", "PID", "MODE"],
    view.map((s) => [
      s.remoteName ?? "-",
      `${s.target} (remote ${s.remotePort})`,
      `127.0.0.1:${s.localPort}`,
      s.state,
      s.uptimeMs !== undefined ? formatAge(now - s.uptimeMs, now).replace(" ago", "") : "-",
      String(s.restarts),
      s.lastError
        ? `${s.lastError.message.slice(0, 60)} (${formatAge(s.lastError.atMs, now)})`
        : "-",
      String(s.pid),
      s.mode,
    ]),
  );
}
