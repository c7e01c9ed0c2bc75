/**
 * Supervisor records: one file per supervised forward, `<stateDir>/tunnels/<slug>.json` (0600,
 * written atomically), kept by the `clawgate tunnel` / `tunnel up` process supervising it.
 * The record says who supervises (pid), where (target, ports), and how it goes (state, since,
 * spawns, last error), so `tunnel status` can show it after the CLI that started it exited.
 * Claiming is exclusive (create-if-absent): one supervisor per forward. A record whose pid is
 * no longer a clawgate `tunnel` process belongs to a crashed supervisor; it is reported as
 * `crashed` and replaced on the next claim (its ssh is reaped through the ledger).
 * @module
 */
import { join } from "node:path";
import { writeJsonAtomic } from "../platform/atomic_write.ts";
import { readCmdline } from "../transport/port_check.ts";
import { pidAlive } from "./ledger.ts";
import type { TunnelState } from "./supervisor.ts";

/** What a supervisor records about itself. */
export interface SupervisorRecord {
  /** The supervising clawgate process. */
  pid: number;
  /** Forward identity (`forwardKey()`). */
  key: string;
  /** `remotes.NAME`, when the forward came from one. */
  remoteName?: string;
  /** The ssh target as configured (`me@host:2222`). */
  target: string;
  localPort: number;
  remotePort: number;
  /** `background` (`tunnel up -d`) or `foreground` (a terminal holds it). */
  mode: "background" | "foreground";
  /** Epoch ms the supervisor started. */
  startedAtMs: number;
  state: TunnelState;
  /** Epoch ms of the last state change. */
  stateSinceMs: number;
  /** Epoch ms the forward last became `up` (unset while not up). */
  upSinceMs?: number;
  /** ssh spawns so far (restarts = spawns - 1). */
  spawns: number;
  sshPid?: number;
  lastError?: { kind?: string; message: string; atMs: number };
  /** Where a background supervisor writes its log. */
  logPath?: string;
}

/** A record plus whether its supervisor still runs. */
export interface SupervisorView extends SupervisorRecord {
  /** false: the supervisor died without cleaning up (`crashed`). */
  alive: boolean;
}

/** The directory holding the records (and background logs). */
export function recordsDir(stateDir: string): string {
  return join(stateDir, "tunnels");
}

/** File-name-safe form of a forward key. */
export function recordSlug(key: string): string {
  return key.replace(/[^A-Za-z0-9@._-]/g, "_");
}

function recordPath(stateDir: string, key: string): string {
  return join(recordsDir(stateDir), `${recordSlug(key)}.json`);
}

/** Whether `pid` is a live clawgate `tunnel` process (a reused pid does not count). */
export async function isSupervisorPid(pid: number): Promise<boolean> {
  if (!await pidAlive(pid)) return false;
  const argv = await readCmdline(pid);
  return argv.length === 0 || argv.includes("tunnel"); // unreadable: assume it is
}

/** Reads one record; undefined when missing or unreadable. */
export async function readRecord(
  stateDir: string,
  key: string,
): Promise<SupervisorRecord | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(recordPath(stateDir, key)));
  } catch {
    return undefined;
  }
}

/**
 * Claims forward `record.key` for this supervisor.
 *
 * @returns `{claimed: true}`, or the record of the live supervisor that already holds it.
 *   A crashed holder's record is replaced (returned as `replaced`).
 * @throws {Error} When the state dir is not writable.
 */
export async function claimRecord(
  stateDir: string,
  record: SupervisorRecord,
): Promise<
  { claimed: true; replaced?: SupervisorRecord } | { claimed: false; holder: SupervisorRecord }
> {
  const path = recordPath(stateDir, record.key);
  let replaced: SupervisorRecord | undefined;
  for (let i = 0; i < 3; i++) {
    if (await writeJsonAtomic(path, record, { exclusive: true })) {
      return { claimed: true, replaced };
    }
    const holder = await readRecord(stateDir, record.key);
    if (holder && holder.pid !== record.pid && await isSupervisorPid(holder.pid)) {
      return { claimed: false, holder };
    }
    replaced = holder;
    await Deno.remove(path).catch(() => {});
  }
  throw new Error(`Cannot claim ${path}: another supervisor keeps racing for it`);
}

/** Updates this supervisor's record (never throws: status is best effort). */
export async function updateRecord(stateDir: string, record: SupervisorRecord): Promise<void> {
  await writeJsonAtomic(recordPath(stateDir, record.key), record).catch(() => {});
}

/** Removes the record of `key` if `pid` holds it (never throws). */
export async function releaseRecord(stateDir: string, key: string, pid: number): Promise<void> {
  const current = await readRecord(stateDir, key);
  if (current && current.pid !== pid) return;
  await Deno.remove(recordPath(stateDir, key)).catch(() => {});
}

/** Every record, each with whether its supervisor is alive; oldest first. */
export async function listRecords(stateDir: string): Promise<SupervisorView[]> {
  const out: SupervisorView[] = [];
  try {
    for await (const e of Deno.readDir(recordsDir(stateDir))) {
      if (!e.isFile || !e.name.endsWith(".json") || e.name.startsWith(".")) continue;
      try {
        const r = JSON.parse(
          await Deno.readTextFile(join(recordsDir(stateDir), e.name)),
        ) as SupervisorRecord;
        out.push({ ...r, alive: await isSupervisorPid(r.pid) });
      } catch { /* torn or foreign file: skip */ }
    }
  } catch { /* no directory yet */ }
  return out.sort((a, b) => a.startedAtMs - b.startedAtMs);
}
