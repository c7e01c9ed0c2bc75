/**
 * Reconnect delays for `node connect`: capped exponential backoff with full jitter
 * (delay uniform in `[0, min(cap, base·2^attempt))`), honouring a gateway's `retryAfterMs`.
 * OpenClaw's own client uses 1 s ×2 up to 30 s without jitter (protocol.md §2.5); jitter keeps a
 * fleet of nodes from reconnecting in lockstep after a gateway restart.
 * @module
 */

/** Options for {@linkcode reconnectDelayMs}. */
export interface ReconnectDelayOptions {
  /** Upper bound of the first delay, in milliseconds. @default {1000} */
  baseMs?: number;
  /** Upper bound of any delay, in milliseconds. @default {30000} */
  capMs?: number;
  /** Uniform random in [0, 1). @default {Math.random} */
  random?: () => number;
  /** The gateway's `retryAfterMs`, if any: the delay is never shorter (but still capped). */
  retryAfterMs?: number;
}

/**
 * The delay before reconnect attempt `attempt` (0-based).
 *
 * @example
 * ```ts
 * import { reconnectDelayMs } from "./backoff.ts";
 * console.assert(reconnectDelayMs(3, { random: () => 0.5 }) === 4000);
 * ```
 */
export function reconnectDelayMs(attempt: number, options: ReconnectDelayOptions = {}): number {
  const base = options.baseMs ?? 1000;
  const cap = options.capMs ?? 30_000;
  const random = options.random ?? Math.random;
  const ceiling = Math.min(cap, base * 2 ** Math.min(Math.max(attempt, 0), 30));
  const r = Math.min(Math.max(random(), 0), 0.999999);
  let delay = Math.floor(r * ceiling);
  if (options.retryAfterMs !== undefined && options.retryAfterMs > delay) {
    delay = Math.min(options.retryAfterMs, cap);
  }
  return delay;
}
