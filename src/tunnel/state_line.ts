/**
 * The human state line `clawgate tunnel` prints on stderr for each supervisor state change.
 * @module
 */
import type { TunnelStateEvent } from "./supervisor.ts";

/**
 * Formats one state change, newline-terminated.
 *
 * @example
 * ```ts
 * import { stateLine } from "./state_line.ts";
 * const line = stateLine({ state: "up", ts: 0, attempt: 1, pid: 42 }, "me@box", 18789, 18789);
 * console.assert(line === "tunnel: up 127.0.0.1:18789 → me@box:18789 (ssh pid 42)\n");
 * ```
 */
export function stateLine(
  ev: TunnelStateEvent,
  target: string,
  localPort: number,
  remotePort: number,
): string {
  const path = `127.0.0.1:${localPort} → ${target}:${remotePort}`;
  switch (ev.state) {
    case "connecting":
      return `tunnel: connecting ${path} (attempt ${ev.attempt})\n`;
    case "up":
      return `tunnel: up ${path} (ssh pid ${ev.pid})\n`;
    case "gateway-down":
      return `tunnel: gateway-down: ssh is up (pid ${ev.pid}) but the gateway does not answer: ${ev.reason}\n`;
    case "link-down":
      return `tunnel: link-down: ${ev.reason}; restarting ssh (pid ${ev.pid})\n`;
    case "backoff":
      return `tunnel: backoff ${(ev.delayMs ?? 0) / 1000}s after ${ev.reason}\n`;
    case "failed":
      return `tunnel: failed: ${ev.reason}\n`;
    case "stopped":
      return `tunnel: stopped\n`;
  }
}
