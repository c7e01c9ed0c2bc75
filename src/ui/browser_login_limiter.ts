/**
 * Failed logins from browser pages are locked out, even on loopback: after 10 wrong secrets in
 * 60 s the key is refused for 300 s with `AUTH_RATE_LIMITED`, whatever it sends (the right token
 * included). Without it a page in a local browser could try tokens at full speed, because
 * loopback clients are otherwise only slowed down, never locked out.
 *
 * The key is the page's origin for a loopback browser (`browser-origin:<origin>`, so every tab
 * of that origin shares one budget) and the peer address otherwise; non-browser clients (no
 * `Origin` header) are not affected.
 *
 * Source: `src/gateway/auth-rate-limit.ts` defaults (10 attempts, 60 s window, 300 s lockout),
 * the separate browser limiter with `exemptLoopback: false` in `server-start.ts`, and
 * `resolveBrowserOriginRateLimitKey` in `ws-connection/handshake-auth-helpers.ts`
 * (openclaw@2026.9.6); protocol.md §4.
 * @module
 */
import { ConnectErrorCodes, invalidRequest, RpcError } from "../protocol/mod.ts";
import { isLoopbackHost } from "../gateway/bind.ts";
import type { PeerInfo } from "../gateway/session.ts";

/** Failures allowed within {@linkcode BROWSER_LOGIN_WINDOW_MS} before a lockout. */
export const BROWSER_LOGIN_MAX_FAILURES = 10;
/** The window failures are counted in, in milliseconds. */
export const BROWSER_LOGIN_WINDOW_MS = 60_000;
/** How long a locked-out key is refused, in milliseconds. */
export const BROWSER_LOGIN_LOCKOUT_MS = 300_000;
const MAX_KEYS = 10_000;

/**
 * The limiter key of a browser peer, or `undefined` for a non-browser client (no `Origin`).
 *
 * @example
 * ```ts
 * import { browserLoginKey } from "./browser_login_limiter.ts";
 * const key = browserLoginKey({
 *   remoteIp: "127.0.0.1",
 *   isLocal: false,
 *   browserOrigin: { origin: "http://127.0.0.1:18789", secure: false },
 * });
 * console.assert(key === "browser-origin:http://127.0.0.1:18789");
 * ```
 */
export function browserLoginKey(peer: PeerInfo): string | undefined {
  if (!peer.browserOrigin) return undefined;
  if (!isLoopbackHost(peer.remoteIp)) return peer.remoteIp;
  try {
    return `browser-origin:${new URL(peer.browserOrigin.origin.trim()).origin.toLowerCase()}`;
  } catch {
    return "browser-origin:invalid";
  }
}

/** Per-key failure counts and lockouts for browser logins. */
export class BrowserLoginLimiter {
  readonly #entries = new Map<string, { failures: number[]; lockedUntil: number }>();
  readonly #now: () => number;

  /** @param now Clock in epoch milliseconds (injectable for tests). */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /**
   * Throws when `key` is locked out.
   *
   * @throws {RpcError} `INVALID_REQUEST` `unauthorized: too many failed authentication attempts
   *   (retry later)`, `details.code` `AUTH_RATE_LIMITED`, `retryAfterMs`.
   */
  check(key: string): void {
    const e = this.#entries.get(key);
    const now = this.#now();
    if (!e || e.lockedUntil <= now) return;
    const retryAfterMs = e.lockedUntil - now;
    const err = invalidRequest(
      "unauthorized: too many failed authentication attempts (retry later)",
      {
        code: ConnectErrorCodes.AUTH_RATE_LIMITED,
        authReason: "rate_limited",
        canRetryWithDeviceToken: false,
        recommendedNextStep: "wait_then_retry",
      },
    );
    throw new RpcError(err.code, err.message, {
      details: err.details,
      retryable: true,
      retryAfterMs,
    });
  }

  /** Records a wrong secret; the tenth within the window starts the lockout. */
  fail(key: string): void {
    const now = this.#now();
    const e = this.#entries.get(key) ?? { failures: [], lockedUntil: 0 };
    e.failures = e.failures.filter((t) => now - t < BROWSER_LOGIN_WINDOW_MS);
    e.failures.push(now);
    if (e.failures.length >= BROWSER_LOGIN_MAX_FAILURES) {
      e.lockedUntil = now + BROWSER_LOGIN_LOCKOUT_MS;
      e.failures = [];
    }
    if (!this.#entries.has(key) && this.#entries.size >= MAX_KEYS) this.#prune(now);
    this.#entries.set(key, e);
  }

  /** Forgets a key after a successful login. */
  reset(key: string): void {
    this.#entries.delete(key);
  }

  #prune(now: number): void {
    for (const [k, e] of this.#entries) {
      const idle = e.lockedUntil <= now &&
        e.failures.every((t) => now - t >= BROWSER_LOGIN_WINDOW_MS);
      if (idle) this.#entries.delete(k);
    }
    // Still full (an attack from many addresses): drop the oldest entries.
    for (const k of this.#entries.keys()) {
      if (this.#entries.size < MAX_KEYS) break;
      this.#entries.delete(k);
    }
  }
}

const limiters = new WeakMap<object, BrowserLoginLimiter>();

/** The browser login limiter of one gateway (created on first use, lives as long as it). */
export function browserLoginLimiter(gateway: object): BrowserLoginLimiter {
  let l = limiters.get(gateway);
  if (!l) limiters.set(gateway, l = new BrowserLoginLimiter());
  return l;
}
