/**
 * Classifies why a node's connect failed: refused for good (exit 7), device pairing pending
 * (keep waiting), or transient (reconnect with backoff). protocol.md §2.5, §6 lifecycle.
 * @module
 */
import { ConnectErrorCodes, formatCodeMessage, RpcError } from "../protocol/mod.ts";
import { clearDeviceToken } from "../identity/identity_store.ts";
import { TransportError } from "../transport/errors.ts";

/** What the reconnect loop does after a failed connect. */
export type ConnectDecision =
  | { kind: "fatal"; message: string; detailCode?: string }
  | { kind: "pairing"; requestId?: string }
  | { kind: "retry"; message: string; retryAfterMs?: number; quick?: boolean };

const FATAL_DETAIL =
  /^(AUTH_|DEVICE_AUTH_|DEVICE_IDENTITY_REQUIRED$|PROTOCOL_MISMATCH$|CLIENT_VERSION_MISMATCH$)/;

/**
 * Classifies a connect failure. A stale stored device token (`AUTH_DEVICE_TOKEN_MISMATCH`) is
 * forgotten, and retried at once when a shared secret can take its place.
 */
export async function classifyConnectError(
  err: unknown,
  opts: {
    stateDir: string;
    url: string;
    deviceTokenKey?: string;
    token?: string;
    password?: string;
  },
): Promise<ConnectDecision> {
  if (err instanceof RpcError) {
    const detail = err.detailCode ?? "";
    if (detail === ConnectErrorCodes.PAIRING_REQUIRED) {
      const requestId = typeof err.details?.requestId === "string"
        ? err.details.requestId
        : undefined;
      return { kind: "pairing", requestId };
    }
    if (detail === ConnectErrorCodes.AUTH_RATE_LIMITED) {
      return { kind: "retry", message: err.message, retryAfterMs: err.retryAfterMs };
    }
    if (detail === ConnectErrorCodes.AUTH_DEVICE_TOKEN_MISMATCH) {
      await clearDeviceToken(opts.stateDir, opts.deviceTokenKey ?? opts.url, "node").catch(() =>
        false
      );
      if (opts.token || opts.password) {
        return { kind: "retry", message: err.message, quick: true };
      }
    }
    if (FATAL_DETAIL.test(detail) || (!detail && err.code === "INVALID_REQUEST")) {
      return { kind: "fatal", message: err.message, detailCode: detail || err.code };
    }
    return {
      kind: "retry",
      message: formatCodeMessage(err.code, err.message),
      retryAfterMs: err.retryAfterMs,
    };
  }
  if (err instanceof TransportError) {
    if (err.kind === "tls") return { kind: "fatal", message: err.message, detailCode: "TLS" };
    return { kind: "retry", message: err.message };
  }
  return { kind: "retry", message: err instanceof Error ? err.message : String(err) };
}
