/**
 * The error shape carried by `res` frames, the top-level error codes, the connect
 * `details.code` values, and {@linkcode RpcError}, the one error class that crosses the wire.
 *
 * Source: `packages/gateway-protocol/src/gateway-error-details.ts` and
 * `connect-error-details.ts` (openclaw@2026.9.6), protocol.md §1.1.
 * @module
 */
import * as v from "valibot";
import { NonNegativeInt } from "./_shapes.ts";

/** Top-level `error.code` values. */
export const ErrorCodes = {
  INVALID_REQUEST: "INVALID_REQUEST",
  FORBIDDEN: "FORBIDDEN",
  NOT_PAIRED: "NOT_PAIRED",
  UNAVAILABLE: "UNAVAILABLE",
  APPROVAL_NOT_FOUND: "APPROVAL_NOT_FOUND",
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** `error.details.code` values used during the handshake (a subset of OpenClaw's list). */
export const ConnectErrorCodes = {
  AUTH_REQUIRED: "AUTH_REQUIRED",
  AUTH_UNAUTHORIZED: "AUTH_UNAUTHORIZED",
  AUTH_TOKEN_MISSING: "AUTH_TOKEN_MISSING",
  AUTH_TOKEN_MISMATCH: "AUTH_TOKEN_MISMATCH",
  AUTH_TOKEN_NOT_CONFIGURED: "AUTH_TOKEN_NOT_CONFIGURED",
  AUTH_PASSWORD_MISSING: "AUTH_PASSWORD_MISSING",
  AUTH_PASSWORD_MISMATCH: "AUTH_PASSWORD_MISMATCH",
  AUTH_PASSWORD_NOT_CONFIGURED: "AUTH_PASSWORD_NOT_CONFIGURED",
  AUTH_DEVICE_TOKEN_MISMATCH: "AUTH_DEVICE_TOKEN_MISMATCH",
  AUTH_RATE_LIMITED: "AUTH_RATE_LIMITED",
  DEVICE_AUTH_INVALID: "DEVICE_AUTH_INVALID",
  DEVICE_AUTH_DEVICE_ID_MISMATCH: "DEVICE_AUTH_DEVICE_ID_MISMATCH",
  DEVICE_AUTH_SIGNATURE_EXPIRED: "DEVICE_AUTH_SIGNATURE_EXPIRED",
  DEVICE_AUTH_NONCE_REQUIRED: "DEVICE_AUTH_NONCE_REQUIRED",
  DEVICE_AUTH_NONCE_MISMATCH: "DEVICE_AUTH_NONCE_MISMATCH",
  DEVICE_AUTH_SIGNATURE_INVALID: "DEVICE_AUTH_SIGNATURE_INVALID",
  DEVICE_AUTH_PUBLIC_KEY_INVALID: "DEVICE_AUTH_PUBLIC_KEY_INVALID",
  PROTOCOL_MISMATCH: "PROTOCOL_MISMATCH",
  DEVICE_IDENTITY_REQUIRED: "DEVICE_IDENTITY_REQUIRED",
  PAIRING_REQUIRED: "PAIRING_REQUIRED",
  CLIENT_VERSION_MISMATCH: "CLIENT_VERSION_MISMATCH",
  CONTROL_UI_DEVICE_IDENTITY_REQUIRED: "CONTROL_UI_DEVICE_IDENTITY_REQUIRED",
  MISSING_SCOPE: "MISSING_SCOPE",
  NOT_CONNECTED: "NOT_CONNECTED",
  CONTROL_UI_ORIGIN_NOT_ALLOWED: "CONTROL_UI_ORIGIN_NOT_ALLOWED",
} as const;
export type ConnectErrorCode = (typeof ConnectErrorCodes)[keyof typeof ConnectErrorCodes];

/**
 * `CODE: message` for humans and logs, without repeating the code when the message already
 * starts with it (a node's `UNAVAILABLE: …` relayed as a gateway `UNAVAILABLE` error).
 *
 * @example
 * ```ts
 * import { formatCodeMessage } from "./errors.ts";
 * console.assert(formatCodeMessage("UNAVAILABLE", "UNAVAILABLE: down") === "UNAVAILABLE: down");
 * console.assert(formatCodeMessage("FORBIDDEN", "no") === "FORBIDDEN: no");
 * ```
 */
export function formatCodeMessage(code: string, message: string): string {
  return message.startsWith(`${code}:`) ? message : `${code}: ${message}`;
}

/** `{code, message, details?, retryable?, retryAfterMs?}`. */
export const ErrorShapeSchema = v.object({
  code: v.string(),
  message: v.string(),
  details: v.optional(v.unknown()),
  retryable: v.optional(v.boolean()),
  retryAfterMs: v.optional(NonNegativeInt),
});
export type ErrorShape = v.InferOutput<typeof ErrorShapeSchema>;

/**
 * An error answered by (or to be sent to) a gateway peer in a `res` frame.
 *
 * @example Build the shape sent on the wire
 * ```ts
 * import { RpcError } from "./errors.ts";
 * const err = new RpcError("INVALID_REQUEST", "unknown method: nope");
 * console.assert(err.toShape().message === "unknown method: nope");
 * ```
 */
export class RpcError extends Error {
  /** Top-level code such as `INVALID_REQUEST`. */
  readonly code: string;
  /** Structured details; `details.code` carries the connect error code. */
  readonly details?: Record<string, unknown>;
  /** Whether the caller may retry. */
  readonly retryable?: boolean;
  /** Suggested wait before a retry, in milliseconds. */
  readonly retryAfterMs?: number;

  constructor(
    code: string,
    message: string,
    options: { details?: Record<string, unknown>; retryable?: boolean; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = "RpcError";
    this.code = code;
    this.details = options.details;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }

  /** The `details.code` string when present (e.g. `AUTH_TOKEN_MISMATCH`). */
  get detailCode(): string | undefined {
    const c = this.details?.code;
    return typeof c === "string" ? c : undefined;
  }

  /** The wire shape for a `res` frame's `error`. */
  toShape(): ErrorShape {
    const shape: ErrorShape = { code: this.code, message: this.message };
    if (this.details !== undefined) shape.details = this.details;
    if (this.retryable !== undefined) shape.retryable = this.retryable;
    if (this.retryAfterMs !== undefined) shape.retryAfterMs = this.retryAfterMs;
    return shape;
  }

  /** Rebuilds an {@linkcode RpcError} from a received error shape. */
  static fromShape(shape: ErrorShape): RpcError {
    const details = shape.details && typeof shape.details === "object"
      ? shape.details as Record<string, unknown>
      : undefined;
    return new RpcError(shape.code, shape.message, {
      details,
      retryable: shape.retryable,
      retryAfterMs: shape.retryAfterMs,
    });
  }
}

/** `INVALID_REQUEST` helper. */
export function invalidRequest(message: string, details?: Record<string, unknown>): RpcError {
  return new RpcError(ErrorCodes.INVALID_REQUEST, message, { details });
}
