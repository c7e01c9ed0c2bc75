/**
 * Capped exponential backoff with full jitter, shared by the tunnel supervisor (ssh restarts)
 * and the node (reconnects): the n-th delay is uniform in `[0, min(capMs, baseMs·2^n))`.
 * {@linkcode reconnectDelayMs} is the pure function (and honours a gateway's `retryAfterMs`);
 * {@linkcode Backoff} keeps the attempt counter and resets it once a run stayed up for
 * `resetAfterMs`. Sources: AWS "Exponential Backoff And Jitter"; autossh `min_time`
 * (tunnel-and-deno.md A1, A3). OpenClaw's own client uses 1 s ×2 up to 30 s without jitter
 * (protocol.md §2.5); jitter keeps a fleet of clients from reconnecting in lockstep.
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

/** Options for {@linkcode Backoff}. */
export interface BackoffOptions {
  /** First step's upper bound, in milliseconds. @default {1000} */
  baseMs?: number;
  /** Upper bound of any delay, in milliseconds. @default {30000} */
  capMs?: number;
  /** A run that stayed up this long resets the attempt counter, in milliseconds. @default {60000} */
  resetAfterMs?: number;
  /** Uniform random in [0, 1); injectable for tests. @default {Math.random} */
  random?: () => number;
}

/**
 * A backoff sequence.
 *
 * @example
 * ```ts
 * import { Backoff } from "./backoff.ts";
 * const b = new Backoff({ random: () => 0.5 });
 * console.assert(b.next(0) === 500 && b.next(0) === 1000);
 * ```
 */
export class Backoff {
  readonly baseMs: number;
  readonly capMs: number;
  readonly resetAfterMs: number;
  #random: () => number;
  #attempt = 0;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 1000;
    this.capMs = options.capMs ?? 30_000;
    this.resetAfterMs = options.resetAfterMs ?? 60_000;
    this.#random = options.random ?? Math.random;
  }

  /** The number of delays handed out since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The upper bound of the next delay, in milliseconds. */
  ceilingMs(): number {
    return Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.#attempt, 30));
  }

  /**
   * The next delay, in milliseconds.
   *
   * @param upForMs How long the run that just ended was up (0 if it never came up).
   */
  next(upForMs: number): number {
    if (upForMs >= this.resetAfterMs) this.#attempt = 0;
    const delay = reconnectDelayMs(this.#attempt, {
      baseMs: this.baseMs,
      capMs: this.capMs,
      random: this.#random,
    });
    this.#attempt++;
    return delay;
  }

  /** Resets the attempt counter. */
  reset(): void {
    this.#attempt = 0;
  }
}
