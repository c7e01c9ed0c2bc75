/**
 * One-line summaries of recorded tunnels for `status` (reads the tunnel ledger).
 * @module
 */
import { viewLedger } from "./ledger.ts";

/**
 * Returns one human line per recorded tunnel; empty when none.
 *
 * @param stateDir The state directory holding `tunnels.json`.
 * @returns e.g. `127.0.0.1:18789 → me@box:18789 ssh pid 4242 running (owner 4240)`.
 */
export async function readTunnelSummary(stateDir: string): Promise<string[]> {
  return (await viewLedger(stateDir)).map((t) =>
    `127.0.0.1:${t.localPort} → ${t.target}:${t.remotePort} ssh pid ${t.pid} ` +
    `${t.sshAlive ? "running" : "gone"} (owner ${t.ownerPid}${t.ownerAlive ? "" : ", dead"})`
  );
}
