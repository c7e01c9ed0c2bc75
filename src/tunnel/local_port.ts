/**
 * The local end of a tunnel: the wanted port when it is free, otherwise (unless pinned) a
 * kernel-chosen free one, with the reason, so `clawgate tunnel` and the tunnel a command opens
 * for itself (./with_tunnel.ts) fall back the same way. Source: OpenClaw's `findPort()`
 * fallback (tunnel-and-deno.md A2).
 * @module
 */
import { checkLocalPortFree, pickFreeLocalPort } from "../transport/port_check.ts";

/** The chosen local port. */
export interface LocalPortChoice {
  port: number;
  /** Set when the wanted port was taken and another was picked. */
  fallback?: {
    wanted: number;
    /** `127.0.0.1:18789 is in use on ::1 by pid 42`. */
    reason: string;
  };
}

/**
 * Picks the tunnel's local port.
 *
 * @param wanted The port to try first.
 * @param pinned `--local-port` was given: return `wanted` even when busy (ssh then fails with
 *   `port-busy`, which names the holder).
 * @returns The port, and why it is not `wanted` when it is not.
 */
export async function chooseLocalPort(wanted: number, pinned = false): Promise<LocalPortChoice> {
  if (pinned) return { port: wanted };
  const check = await checkLocalPortFree(wanted);
  if (check.free) return { port: wanted };
  const who = check.holder ? ` by pid ${check.holder.pid}` : "";
  return {
    port: await pickFreeLocalPort(),
    fallback: { wanted, reason: `127.0.0.1:${wanted} is in use on ${check.address}${who}` },
  };
}
