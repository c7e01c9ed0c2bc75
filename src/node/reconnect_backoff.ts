/**
 * The node host's reconnect pacing, one object per node: full jitter under a ceiling that grows
 * with the time the node has been without a connection, capped. `runNodeHost` uses it, and
 * `bench/scale.ts --restart` drives a fleet of nodes with the same object, so the bench measures
 * the storm the real node makes.
 *
 * Each delay is uniform in `[0, min(capMs, max(baseMs, downForMs)))`, where `downForMs` counts
 * from the close of the last stable connection (up at least `stableMs`). The first delay after a
 * close is therefore jittered over `[0, baseMs)`, and the ceiling roughly doubles with every
 * failed attempt, as in attempt-counted exponential backoff, with the same mean retry rate. But
 * it never runs ahead of the outage: a node retries within about twice the time the gateway was
 * away, where an attempt-counted ceiling (`baseMs·2^k`) let an unlucky node of a restarted
 * fleet wait 8 s after a 1 s restart (bench/scale.ts --restart, 1,000 nodes: all back after
 * 11.3 s, p99 7.3 s). Upstream's client waits 1 s ×2 up to 30 s with no jitter
 * (protocol.md §2.5), so a fleet comes back in lockstep.
 * @module
 */

/** Options for {@linkcode NodeReconnectBackoff}. */
export interface NodeReconnectBackoffOptions {
  /** Ceiling of the first delay after a close, in ms. @default {1000} */
  baseMs?: number;
  /** Upper bound of any delay, in ms. @default {30000} */
  capMs?: number;
  /** A connection up this long starts the down time afresh, in ms. @default {30000} */
  stableMs?: number;
  /** Uniform random in [0, 1). @default {Math.random} */
  random?: () => number;
  /** Clock, in ms. @default {performance.now} */
  now?: () => number;
}

/**
 * Reconnect delays of one node.
 *
 * @example
 * ```ts
 * import { NodeReconnectBackoff } from "./reconnect_backoff.ts";
 * let t = 0;
 * const b = new NodeReconnectBackoff({ random: () => 0.5, now: () => t });
 * console.assert(b.afterClose(60_000) === 500); // first delay: jitter over [0, 1 s)
 * t = 4_000;
 * console.assert(b.afterFailure() === 2_000); // ceiling: 4 s without a connection
 * ```
 */
export class NodeReconnectBackoff {
  readonly #baseMs: number;
  readonly #capMs: number;
  readonly #stableMs: number;
  readonly #random: () => number;
  readonly #now: () => number;
  #downSince: number | undefined;
  #attempt = 0;

  constructor(options: NodeReconnectBackoffOptions = {}) {
    this.#baseMs = options.baseMs ?? 1000;
    this.#capMs = options.capMs ?? 30_000;
    this.#stableMs = options.stableMs ?? 30_000;
    this.#random = options.random ?? Math.random;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Delays handed out since the last stable connection (the `attempt` of the state lines). */
  get attempt(): number {
    return this.#attempt;
  }

  /**
   * The delay after a connection that was up for `upForMs` closed, in ms. After a stable one
   * (up at least `stableMs`) the down time starts now; after a short one it keeps counting, so
   * a gateway that accepts and drops the node at once still sees the delays grow.
   */
  afterClose(upForMs: number): number {
    if (upForMs >= this.#stableMs || this.#downSince === undefined) {
      this.#downSince = this.#now();
      this.#attempt = 0;
    }
    return this.#next();
  }

  /**
   * The delay after a connect attempt failed, in ms; never shorter than the gateway's
   * `retryAfterMs` (still capped).
   */
  afterFailure(retryAfterMs?: number): number {
    this.#downSince ??= this.#now();
    const delay = this.#next();
    return retryAfterMs !== undefined && retryAfterMs > delay
      ? Math.min(retryAfterMs, this.#capMs)
      : delay;
  }

  #next(): number {
    const downForMs = this.#now() - (this.#downSince ?? this.#now());
    const ceiling = Math.min(this.#capMs, Math.max(this.#baseMs, downForMs));
    const r = Math.min(Math.max(this.#random(), 0), 0.999999);
    this.#attempt++;
    return Math.floor(r * ceiling);
  }
}
