/**
 * The real outside world of a `TunnelSupervisor`: the `Deno.Command` spawner (with
 * the parent-death signal), the gateway challenge probe, the local port checks, and pid-ledger
 * hooks recording each ssh right after spawn (and dropping it after exit).
 * @module
 */
import { createDenoSpawner } from "../platform/spawner.ts";
import { probeChallenge } from "../transport/challenge_probe.ts";
import { checkLocalPortFree, tcpAccepts } from "../transport/port_check.ts";
import { addLedgerEntry, type LedgerEntry, removeLedgerEntry } from "./ledger.ts";
import type { SupervisorDeps } from "./supervisor.ts";

/** What the ledger records about each ssh of one supervisor (pid and times are filled in). */
export type LedgerRecord = Omit<LedgerEntry, "pid" | "ownerPid" | "startedAtMs">;

/**
 * Builds the deps of a `TunnelSupervisor` that records its ssh in the ledger.
 *
 * @param stateDir The state directory holding `tunnels.json`.
 * @param record Target, ports, key, kind and remote name of this supervisor's ssh.
 * @param onStderr Debug sink for ssh's stderr lines.
 */
export function ledgerSupervisorDeps(
  stateDir: string,
  record: LedgerRecord,
  onStderr?: (line: string) => void,
): SupervisorDeps {
  return {
    spawner: createDenoSpawner(),
    probe: (url, o) => probeChallenge(url, o),
    tcpAccepts,
    checkPortFree: checkLocalPortFree,
    onSpawn: (pid) =>
      addLedgerEntry(stateDir, { ...record, pid, ownerPid: Deno.pid, startedAtMs: Date.now() }),
    onExit: (pid) => removeLedgerEntry(stateDir, pid),
    onStderr,
  };
}
