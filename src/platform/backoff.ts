/**
 * Exponential backoff with full jitter for ssh restarts: the n-th delay is uniform in
 * `[0, min(capMs, baseMs·2^n))`; the attempt counter resets once a run stayed up for
 * `resetAfterMs`. Sources: AWS "Exponential Backoff And Jitter"; autossh `min_time`
 * (tunnel-and-deno.md A1, A3).
 * @module
 */

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
    const delay = Math.floor(this.#random() * this.ceilingMs());
    this.#attempt++;
    return delay;
  }

  /** Resets the attempt counter. */
  reset(): void {
    this.#attempt = 0;
  }
}
