/**
 * The node's tick watchdog (protocol.md §2.5): checks every `max(tickIntervalMs, 1000)` ms and,
 * after more than `2 × tickIntervalMs` without any inbound frame, closes the socket with
 * 4000 `tick timeout` so the reconnect loop takes over.
 * @module
 */
import type { Logger } from "../platform/log.ts";
import type { GatewayClient } from "../transport/gateway_client.ts";

/** The close code and reason of a tick timeout. */
export const TICK_TIMEOUT = { code: 4000, reason: "tick timeout" } as const;

/**
 * Starts watching a connected client.
 *
 * @returns A function that stops the watchdog.
 */
export function startTickWatchdog(
  client: Pick<GatewayClient, "lastActivityMs" | "close" | "hello">,
  logger: Logger,
  now: () => number = Date.now,
): () => void {
  const tickMs = client.hello.policy.tickIntervalMs;
  const silenceLimitMs = 2 * tickMs;
  const timer = setInterval(() => {
    const silentMs = now() - client.lastActivityMs;
    if (silentMs > silenceLimitMs) {
      logger.warn("tick timeout: no frames from the gateway; reconnecting", { silentMs });
      client.close(TICK_TIMEOUT.code, TICK_TIMEOUT.reason);
    }
  }, Math.max(tickMs, 1000));
  return () => clearInterval(timer);
}
