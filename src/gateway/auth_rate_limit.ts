/**
 * The failed-authentication limiter: a sliding window per key (client IP, or a browser page's
 * origin) and credential scope. `maxAttempts` wrong secrets within `windowMs` lock the key out
 * for `lockoutMs`; while locked, every attempt (the right secret included) is refused at once
 * with `AUTH_RATE_LIMITED` and `retryAfterMs`. Check and record are synchronous, so concurrent
 * attempts cannot race past the limit: of 500 parallel guesses from one address, 10 are
 * checked and 490 refused. Loopback addresses are exempt from the lockout (a local user
 * cannot be locked out of their own gateway) but wait after each failure, 250 ms doubling to
 * 5 s, and concurrent failures of one key share one wait. A correct secret is never delayed.
 *
 * Memory: entries sit in a `Map` in order of last failure; entries older than the window and
 * the lockout are dropped from the front as new failures come in (O(1) amortized, no scans),
 * and at `maxEntries` the oldest is evicted.
 *
 * Source: `src/gateway/auth-rate-limit.ts` (`createAuthRateLimiter`: 10 attempts, 60 s window,
 * 300 s lockout, loopback exempt, 250 ms → 5 s loopback delay with shared waiters, 10,000
 * entries), `gateway.auth.rateLimit` in `docs/gateway/security/rate-limiting.md`
 * (openclaw@2026.9.6).
 * @module
 */

import { isLoopbackHost } from "./bind.ts";

/** `gateway.auth.rateLimit`. */
export interface AuthRateLimitPolicy {
  /** Wrong secrets within `windowMs` that start a lockout. @default {10} */
  maxAttempts: number;
  /** @default {60000} */
  windowMs: number;
  /** @default {300000} */
  lockoutMs: number;
  /** Loopback peers are never locked out (only delayed). @default {true} */
  exemptLoopback: boolean;
}

/** Upstream's defaults. */
export const DEFAULT_AUTH_RATE_LIMIT: AuthRateLimitPolicy = {
  maxAttempts: 10,
  windowMs: 60_000,
  lockoutMs: 300_000,
  exemptLoopback: true,
};

/** Credential classes counted separately, as upstream (`shared-secret`, `device-token`). */
export type AuthScope = "shared-secret" | "device-token";

/**
 * The limiter key of a peer: a browser page by its origin when it connects over loopback (each
 * origin its own budget) or by its address, never exempt (upstream's browser limiter); any
 * other client by its address, exempt when that is loopback.
 *
 * @example
 * ```ts
 * import { authLimiterKey } from "./auth_rate_limit.ts";
 * const cli = authLimiterKey({ remoteIp: "127.0.0.1" }, "shared-secret");
 * console.assert(cli.key === "shared-secret:127.0.0.1" && cli.exempt);
 * ```
 */
export function authLimiterKey(
  peer: { remoteIp: string; browserOrigin?: { origin: string } },
  scope: AuthScope,
): { key: string; exempt: boolean } {
  const loopback = isLoopbackHost(peer.remoteIp);
  if (!peer.browserOrigin) return { key: `${scope}:${peer.remoteIp}`, exempt: loopback };
  if (!loopback) return { key: `${scope}:${peer.remoteIp}`, exempt: false };
  let origin = "invalid";
  try {
    origin = new URL(peer.browserOrigin.origin.trim()).origin.toLowerCase();
  } catch { /* unparsable: one shared bucket */ }
  return { key: `${scope}:browser-origin:${origin}`, exempt: false };
}

const MAX_ENTRIES = 10_000;
const LOOPBACK_DELAY_BASE_MS = 250;
const LOOPBACK_DELAY_MAX_MS = 5_000;
/** Failures remembered for an exempt key: enough to reach the 5 s cap (250·2^5 > 5000). */
const LOOPBACK_HISTORY = 6;

interface Entry {
  /** Failure times within the window, oldest first (at most `maxAttempts`). */
  failures: number[];
  lockedUntil: number;
  lastMs: number;
}

/** One key's lockout state as seen by {@linkcode AuthRateLimiter.check}. */
export type RateLimitCheck = { allowed: true } | { allowed: false; retryAfterMs: number };

/** The limiter; one per gateway. */
export class AuthRateLimiter {
  readonly #policy: AuthRateLimitPolicy;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  readonly #waiters = new Map<string, { until: number; done: Promise<void> }>();

  /**
   * @param policy Overrides of {@linkcode DEFAULT_AUTH_RATE_LIMIT}.
   * @param now Clock in epoch ms (injectable for tests).
   */
  constructor(policy: Partial<AuthRateLimitPolicy> = {}, now: () => number = Date.now) {
    this.#policy = { ...DEFAULT_AUTH_RATE_LIMIT };
    for (const [k, v] of Object.entries(policy)) {
      if (v !== undefined) (this.#policy as unknown as Record<string, unknown>)[k] = v;
    }
    this.#now = now;
  }

  /** Number of keys held (for tests and benchmarks). */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Whether `key` may try a secret now.
   *
   * @param key `scope:ip` or `scope:browser-origin:<origin>`.
   * @param exempt Loopback non-browser peer (no lockout when the policy exempts loopback).
   */
  check(key: string, exempt: boolean): RateLimitCheck {
    const now = this.#now();
    this.#prune(now);
    if (exempt && this.#policy.exemptLoopback) return { allowed: true };
    const e = this.#entries.get(key);
    if (!e || e.lockedUntil <= now) return { allowed: true };
    return { allowed: false, retryAfterMs: e.lockedUntil - now };
  }

  /**
   * Records a wrong secret. Resolves at once for non-exempt keys; for exempt (loopback) keys
   * after the escalating delay, shared by concurrent failures of the key.
   */
  failed(key: string, exempt: boolean): Promise<void> {
    const now = this.#now();
    this.#prune(now);
    const exemptNow = exempt && this.#policy.exemptLoopback;
    const e = this.#entries.get(key) ?? { failures: [], lockedUntil: 0, lastMs: now };
    this.#entries.delete(key); // re-inserted last: the Map stays ordered by last failure
    if (e.lockedUntil > now && !exemptNow) {
      this.#entries.set(key, e);
      return Promise.resolve();
    }
    while (e.failures.length && now - e.failures[0] >= this.#policy.windowMs) e.failures.shift();
    e.failures.push(now);
    e.lastMs = now;
    const cap = exemptNow ? LOOPBACK_HISTORY : this.#policy.maxAttempts;
    while (e.failures.length > cap) e.failures.shift();
    if (!exemptNow && e.failures.length >= this.#policy.maxAttempts) {
      e.lockedUntil = now + this.#policy.lockoutMs;
      e.failures = [];
    }
    if (this.#entries.size >= MAX_ENTRIES) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
    this.#entries.set(key, e);
    if (!exemptNow) return Promise.resolve();
    const delayMs = Math.min(
      LOOPBACK_DELAY_MAX_MS,
      LOOPBACK_DELAY_BASE_MS * 2 ** (e.failures.length - 1),
    );
    return this.#wait(key, now + delayMs);
  }

  /** Forgets `key` after a correct secret. */
  succeeded(key: string): void {
    this.#entries.delete(key);
  }

  /** Concurrent failures of one key share a wait; a later deadline starts a new one. */
  #wait(key: string, until: number): Promise<void> {
    const w = this.#waiters.get(key);
    if (w && w.until >= until) return w.done;
    const done = new Promise<void>((resolve) => {
      setTimeout(() => {
        if (this.#waiters.get(key)?.done === done) this.#waiters.delete(key);
        resolve();
      }, Math.max(0, until - this.#now()));
    });
    this.#waiters.set(key, { until, done });
    return done;
  }

  #prune(now: number): void {
    const ttl = Math.max(this.#policy.windowMs, this.#policy.lockoutMs);
    for (const [key, e] of this.#entries) {
      if (now - e.lastMs < ttl || e.lockedUntil > now) break;
      this.#entries.delete(key);
    }
  }
}
