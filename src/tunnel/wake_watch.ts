/**
 * Notices a wake from sleep: the monotonic clock (`performance.now()`, CLOCK_MONOTONIC on
 * Linux, CLOCK_UPTIME_RAW on macOS) stops while the machine sleeps, the wall clock does not. A
 * jump between the two means the machine slept (or the clock was set), and whatever ssh held
 * before may be dead: the supervisor re-checks at once instead of waiting out its timers, which
 * also stood still. Also the supervisor's abortable timers ({@linkcode sleep},
 * {@linkcode within}).
 * @module
 */

/** Options of {@linkcode WakeWatch}. */
export interface WakeWatchOptions {
  /** Wall clock, epoch ms. @default {Date.now} */
  wall?: () => number;
  /** Monotonic clock, ms. @default {performance.now} */
  monotonic?: () => number;
  /** A drift beyond this counts as a wake, in milliseconds. @default {4000} */
  thresholdMs?: number;
}

/** Tracks the drift between the wall and the monotonic clock. */
export class WakeWatch {
  #wall: () => number;
  #mono: () => number;
  #thresholdMs: number;
  #offset: number;

  constructor(options: WakeWatchOptions = {}) {
    this.#wall = options.wall ?? Date.now;
    this.#mono = options.monotonic ?? (() => performance.now());
    this.#thresholdMs = options.thresholdMs ?? 4000;
    this.#offset = this.#wall() - this.#mono();
  }

  /**
   * How far the clocks drifted apart since the last call, in milliseconds, when that is beyond
   * the threshold (a wake, or the wall clock was set); otherwise 0.
   */
  jumpMs(): number {
    const offset = this.#wall() - this.#mono();
    const jump = offset - this.#offset;
    this.#offset = offset;
    return Math.abs(jump) > this.#thresholdMs ? Math.round(jump) : 0;
  }
}

/**
 * Sleeps `ms` milliseconds in slices of at most `sliceMs`, ending early when `signal` aborts or
 * `watch` sees a jump.
 *
 * @returns The jump in milliseconds (non-zero: the machine woke up), or 0.
 */
export async function sleepUnlessWake(
  ms: number,
  signal: AbortSignal,
  watch: WakeWatch,
  sliceMs = 1000,
): Promise<number> {
  const end = performance.now() + ms;
  while (!signal.aborted) {
    const left = end - performance.now();
    if (left <= 0) return 0;
    await sleep(Math.min(left, sliceMs), signal);
    const jump = watch.jumpMs();
    if (jump) return jump;
  }
  return 0;
}

/** Resolves after `ms` milliseconds or as soon as `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Whether `promise` settled within `ms` milliseconds (the timer is always cleared). */
export async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const ac = new AbortController();
  try {
    return await Promise.race([
      promise.then(() => true, () => true),
      sleep(ms, ac.signal).then(() => false),
    ]);
  } finally {
    ac.abort();
  }
}
