/**
 * The tunnel pid ledger, `<stateDir>/tunnels.json` (0600, written atomically): one record per
 * running ssh, written right after spawn (OpenClaw's PortGuardian: waiting for readiness first
 * leaves a crash window). The next `tunnel` start reaps our own orphans, but only after
 * `/proc/<pid>/cmdline` shows `ssh … -N … -L 127.0.0.1:<port>:…`; an unreadable command line is
 * never killed (tunnel-and-deno.md A2).
 * @module
 */
import { join } from "node:path";
import { writeJsonAtomic } from "../platform/atomic_write.ts";
import { readCmdline, readProcessState } from "../transport/port_check.ts";
import { isOurSshCommandLine } from "./ssh_args.ts";

/** One supervised ssh. */
export interface LedgerEntry {
  /** The ssh pid. */
  pid: number;
  /** The clawgate process supervising it. */
  ownerPid: number;
  target: string;
  localPort: number;
  remotePort: number;
  /** Epoch milliseconds of the spawn. */
  startedAtMs: number;
  /** sshd port, when not ssh's default. */
  sshPort?: number;
  /** The forward's identity (see `forwardKey` in remote_target.ts); absent in old entries. */
  key?: string;
  /** `remotes.NAME` this tunnel serves, if any. */
  remoteName?: string;
  /**
   * Who owns it: `foreground` (`clawgate tunnel`), `background` (`tunnel up`), `on-demand` (one
   * command's private tunnel, never reused by others). Absent in old entries = foreground.
   */
  kind?: "foreground" | "background" | "on-demand";
}

/** A ledger entry plus what `/proc` says about it now. */
export interface LedgerView extends LedgerEntry {
  /** ssh is alive and its command line matches. */
  sshAlive: boolean;
  /** The owning clawgate process is alive. */
  ownerAlive: boolean;
}

/** The ledger file path. */
export function ledgerPath(stateDir: string): string {
  return join(stateDir, "tunnels.json");
}

/** Reads the ledger; `[]` when missing or unreadable. */
export async function readLedger(stateDir: string): Promise<LedgerEntry[]> {
  try {
    const data = JSON.parse(await Deno.readTextFile(ledgerPath(stateDir)));
    return Array.isArray(data?.tunnels) ? data.tunnels as LedgerEntry[] : [];
  } catch {
    return [];
  }
}

async function writeLedger(stateDir: string, tunnels: LedgerEntry[]): Promise<void> {
  await writeJsonAtomic(ledgerPath(stateDir), { version: 1, tunnels });
}

/**
 * Records a freshly spawned ssh (replacing any entry with the same pid or local port).
 *
 * @throws {Error} When the state dir is not writable.
 */
export async function addLedgerEntry(stateDir: string, entry: LedgerEntry): Promise<void> {
  const rest = (await readLedger(stateDir)).filter((e) =>
    e.pid !== entry.pid && e.localPort !== entry.localPort
  );
  await writeLedger(stateDir, [...rest, entry]);
}

/** Drops the entry for `pid`; never throws. */
export async function removeLedgerEntry(stateDir: string, pid: number): Promise<void> {
  try {
    const all = await readLedger(stateDir);
    if (!all.some((e) => e.pid === pid)) return;
    await writeLedger(stateDir, all.filter((e) => e.pid !== pid));
  } catch { /* best effort */ }
}

/** Whether `pid` exists and is not a zombie (`/proc`, else `ps`). */
export async function pidAlive(pid: number): Promise<boolean> {
  const state = await readProcessState(pid);
  return state !== undefined && state !== "Z" && state !== "X";
}

/** Whether `pid` is an ssh forwarding `localPort` (checked via `/proc/<pid>/cmdline`). */
export async function isOurSsh(pid: number, localPort: number): Promise<boolean> {
  return await pidAlive(pid) && isOurSshCommandLine(await readCmdline(pid), localPort);
}

/** Reads the ledger and checks each entry against `/proc`. */
export async function viewLedger(stateDir: string): Promise<LedgerView[]> {
  const out: LedgerView[] = [];
  for (const e of await readLedger(stateDir)) {
    out.push({
      ...e,
      sshAlive: await isOurSsh(e.pid, e.localPort),
      ownerAlive: await pidAlive(e.ownerPid),
    });
  }
  return out;
}

/**
 * The live, shareable tunnel for forward `key`: a foreground or background entry whose ssh and
 * owner are both alive (on-demand tunnels belong to one command and are never shared). Whether
 * the gateway answers through it is for the caller to probe.
 *
 * @param stateDir The state directory holding `tunnels.json`.
 * @param key The forward identity (`forwardKey()`).
 * @returns The newest matching entry, or undefined.
 */
export async function findSharedTunnel(
  stateDir: string,
  key: string,
): Promise<LedgerView | undefined> {
  const matches = (await readLedger(stateDir)).filter((e) =>
    e.key === key && e.kind !== "on-demand"
  ).sort((a, b) => b.startedAtMs - a.startedAtMs);
  for (const e of matches) {
    const view = {
      ...e,
      sshAlive: await isOurSsh(e.pid, e.localPort),
      ownerAlive: await pidAlive(e.ownerPid),
    };
    if (view.sshAlive && view.ownerAlive) return view;
  }
  return undefined;
}

/**
 * SIGTERM, wait up to `graceMs`, then SIGKILL — only if the pid is still our ssh.
 *
 * @returns true when the process is gone afterwards.
 */
export async function terminateSsh(
  pid: number,
  localPort: number,
  graceMs = 1000,
): Promise<boolean> {
  if (!await isOurSsh(pid, localPort)) return !await pidAlive(pid);
  try {
    Deno.kill(pid, "SIGTERM");
  } catch { /* gone */ }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!await pidAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  if (await isOurSsh(pid, localPort)) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch { /* gone */ }
  }
  await new Promise((r) => setTimeout(r, 100));
  return !await pidAlive(pid);
}

/**
 * Reaps orphaned ssh processes from earlier runs whose owner is dead (optionally only the one
 * forwarding `localPort`), and drops stale entries.
 *
 * @returns The pids that were killed.
 */
export async function reapOrphans(stateDir: string, localPort?: number): Promise<number[]> {
  const reaped: number[] = [];
  const keep: LedgerEntry[] = [];
  const all = await readLedger(stateDir);
  for (const e of all) {
    const ownerAlive = e.ownerPid !== Deno.pid && await pidAlive(e.ownerPid);
    const relevant = localPort === undefined || e.localPort === localPort;
    if (ownerAlive) {
      keep.push(e);
      continue;
    }
    if (!await isOurSsh(e.pid, e.localPort)) continue; // gone or pid reused: forget it
    if (!relevant) {
      keep.push(e);
      continue;
    }
    if (await terminateSsh(e.pid, e.localPort)) reaped.push(e.pid);
    else keep.push(e);
  }
  if (keep.length !== all.length) await writeLedger(stateDir, keep).catch(() => {});
  return reaped;
}
