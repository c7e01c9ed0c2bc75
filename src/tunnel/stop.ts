/**
 * `tunnel stop`: ends running tunnels recorded in the ledger. A live owner (the foreground
 * `clawgate tunnel`) gets SIGTERM so it tears down its ssh cleanly; an ssh whose owner is gone
 * (or that outlives its owner's grace) is terminated directly, after its command line was
 * checked (see ledger.ts).
 * @module
 */
import { readCmdline } from "../transport/port_check.ts";
import { pidAlive, readLedger, reapOrphans, removeLedgerEntry, terminateSsh } from "./ledger.ts";
import { sleep } from "./supervisor.ts";

/** What happened to one ledger entry. */
export interface StoppedTunnel {
  pid: number;
  ownerPid: number;
  localPort: number;
  target: string;
  /** `owner` = the supervising clawgate stopped it; `killed` = ssh terminated directly. */
  how: "owner" | "killed" | "already-gone" | "still-running";
}

/**
 * Stops every recorded tunnel, or only the one on `localPort`.
 *
 * @param stateDir The state directory holding `tunnels.json`.
 * @param options.localPort Only this forward.
 * @param options.graceMs How long to wait for an owner to finish, in milliseconds. @default {5000}
 */
export async function stopTunnels(
  stateDir: string,
  options: { localPort?: number; graceMs?: number } = {},
): Promise<StoppedTunnel[]> {
  const out: StoppedTunnel[] = [];
  const entries = (await readLedger(stateDir)).filter((e) =>
    options.localPort === undefined || e.localPort === options.localPort
  );
  for (const e of entries) {
    const base = { pid: e.pid, ownerPid: e.ownerPid, localPort: e.localPort, target: e.target };
    if (!await pidAlive(e.pid)) {
      await removeLedgerEntry(stateDir, e.pid);
      out.push({ ...base, how: "already-gone" });
      continue;
    }
    const owner = await readCmdline(e.ownerPid);
    if (e.ownerPid !== Deno.pid && await pidAlive(e.ownerPid) && owner.includes("tunnel")) {
      try {
        Deno.kill(e.ownerPid, "SIGTERM");
      } catch { /* gone */ }
      const deadline = Date.now() + (options.graceMs ?? 5000);
      while (Date.now() < deadline && await pidAlive(e.pid)) await sleep(50);
      if (!await pidAlive(e.pid)) {
        out.push({ ...base, how: "owner" });
        continue;
      }
    }
    const gone = await terminateSsh(e.pid, e.localPort);
    if (gone) await removeLedgerEntry(stateDir, e.pid);
    out.push({ ...base, how: gone ? "killed" : "still-running" });
  }
  await reapOrphans(stateDir, options.localPort).catch(() => []);
  return out;
}
