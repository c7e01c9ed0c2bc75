/**
 * Shared-secret authentication of `connect`: constant-time comparison and the exact error
 * messages and `details` OpenClaw sends.
 *
 * Source: `src/gateway/auth.ts`, `auth-messages.ts` (`safeEqualSecret`) (openclaw@2026.9.6),
 * protocol.md §4 and reference-peer.md §3 (exact texts).
 * @module
 */
import {
  type ConnectAuth,
  ConnectErrorCodes,
  invalidRequest,
  RpcError,
} from "../protocol/client.ts";

/** The gateway's resolved auth: mode plus the configured secrets. */
export interface GatewayAuth {
  mode: "token" | "password" | "none";
  token?: string;
  password?: string;
}

/**
 * Compares two secrets in constant time over zero-padded UTF-8; lengths must also match.
 *
 * @example
 * ```ts
 * import { safeEqualSecret } from "./auth.ts";
 * console.assert(safeEqualSecret("abc", "abc") && !safeEqualSecret("abc", "abd"));
 * ```
 */
export function safeEqualSecret(given: string, expected: string): boolean {
  const a = new TextEncoder().encode(given);
  const b = new TextEncoder().encode(expected);
  const len = Math.max(a.length, b.length);
  let diff = a.length ^ b.length;
  for (let i = 0; i < len; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** Result of a shared-secret check. */
export type SharedSecretResult =
  | { ok: true; method: "token" | "password" | "none" }
  | { ok: false; provided: boolean; error: RpcError };

function authError(code: string, reason: string, message: string): RpcError {
  return invalidRequest(message, {
    code,
    authReason: reason,
    canRetryWithDeviceToken: false,
    recommendedNextStep: "update_auth_credentials",
  });
}

/**
 * Checks `connect.auth` against the gateway's secret. The field matching the mode is tried
 * first, then the other (a password is accepted on a token gateway when it equals the token).
 *
 * @param auth The client's `auth` block (may be undefined).
 * @param gateway The gateway's auth.
 * @param clientId `client.id`, which picks the hint in the message (as upstream).
 * @returns `ok` with the method, or `ok:false` with the `INVALID_REQUEST` error to send;
 *   `provided:false` means no shared secret was sent (device-token auth may still succeed).
 */
export function checkSharedSecret(
  auth: ConnectAuth | undefined,
  gateway: GatewayAuth,
  clientId: string,
): SharedSecretResult {
  if (gateway.mode === "none") return { ok: true, method: "none" };
  const secret = gateway.mode === "token" ? gateway.token! : gateway.password!;
  const candidates = gateway.mode === "token"
    ? [auth?.token, auth?.password]
    : [auth?.password, auth?.token];
  const given = candidates.filter((c): c is string => typeof c === "string" && c.length > 0);
  if (given.some((g) => safeEqualSecret(g, secret))) return { ok: true, method: gateway.mode };
  const hint = clientId === "cli"
    ? "use this gateway's gateway.auth.token or pair the device"
    : "provide gateway auth token";
  if (given.length === 0) {
    return gateway.mode === "token"
      ? {
        ok: false,
        provided: false,
        error: authError(
          ConnectErrorCodes.AUTH_TOKEN_MISSING,
          "token_missing",
          `unauthorized: gateway token missing (${hint})`,
        ),
      }
      : {
        ok: false,
        provided: false,
        error: authError(
          ConnectErrorCodes.AUTH_PASSWORD_MISSING,
          "password_missing",
          "unauthorized: gateway password missing (provide gateway auth password)",
        ),
      };
  }
  return gateway.mode === "token"
    ? {
      ok: false,
      provided: true,
      error: authError(
        ConnectErrorCodes.AUTH_TOKEN_MISMATCH,
        "token_mismatch",
        `unauthorized: gateway token mismatch (${hint})`,
      ),
    }
    : {
      ok: false,
      provided: true,
      error: authError(
        ConnectErrorCodes.AUTH_PASSWORD_MISMATCH,
        "password_mismatch",
        "unauthorized: gateway password mismatch (provide gateway auth password)",
      ),
    };
}

/**
 * The lockout error: `INVALID_REQUEST` `unauthorized: too many failed authentication attempts
 * (retry later)`, `retryable`, `retryAfterMs`, `details.code` `AUTH_RATE_LIMITED`.
 *
 * Source: `formatGatewayAuthFailureMessage` (`rate_limited`) and
 * `docs/gateway/security/rate-limiting.md` (openclaw@2026.9.6).
 */
export function rateLimitedError(retryAfterMs: number): RpcError {
  const err = authError(
    ConnectErrorCodes.AUTH_RATE_LIMITED,
    "rate_limited",
    "unauthorized: too many failed authentication attempts (retry later)",
  );
  return new RpcError(err.code, err.message, {
    details: { ...err.details, recommendedNextStep: "wait_then_retry" },
    retryable: true,
    retryAfterMs,
  });
}
