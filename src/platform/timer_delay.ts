/**
 * Timer delays from user input. `setTimeout` stores its delay as a 32-bit signed integer: a
 * value above 2^31−1 ms (~24.8 days) overflows and the timer fires at once, so a caller asking
 * for a very long deadline would get an immediate timeout. Every timer that takes a
 * user-supplied duration goes through {@linkcode clampTimerDelayMs}.
 *
 * Source: HTML timers ("clamp timeout to 2^31−1" overflow), OpenClaw's `resolveTimerTimeoutMs`
 * (`src/shared/number-coercion.ts`, openclaw@2026.9.6) which clamps the same way.
 * @module
 */

/** Largest delay a timer honours, in ms (2^31−1, about 24.8 days). */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * Clamps a delay to what `setTimeout` can honour.
 *
 * @param ms Requested delay in milliseconds (non-finite or negative → 0).
 * @returns An integer in `[0, MAX_TIMER_DELAY_MS]`.
 *
 * @example
 * ```ts
 * import { clampTimerDelayMs, MAX_TIMER_DELAY_MS } from "./timer_delay.ts";
 * console.assert(clampTimerDelayMs(1e12) === MAX_TIMER_DELAY_MS);
 * console.assert(clampTimerDelayMs(1500) === 1500);
 * ```
 */
export function clampTimerDelayMs(ms: number): number {
  if (!Number.isFinite(ms)) return ms > 0 ? MAX_TIMER_DELAY_MS : 0;
  return Math.min(MAX_TIMER_DELAY_MS, Math.max(0, Math.floor(ms)));
}
