/**
 * Transport-level failures: the socket could not be opened, closed early, or timed out.
 * Errors answered by the gateway are {@linkcode RpcError}s (src/protocol/errors.ts) instead.
 * @module
 */

/** What went wrong below the RPC layer. */
export type TransportErrorKind = "refused" | "closed" | "timeout" | "tls" | "protocol";

/** The socket failed before or while waiting for an answer. */
export class TransportError extends Error {
  readonly kind: TransportErrorKind;
  readonly url: string;
  /** WebSocket close code when the server closed the socket. */
  readonly closeCode?: number;
  readonly closeReason?: string;
  constructor(
    kind: TransportErrorKind,
    url: string,
    message: string,
    options: { closeCode?: number; closeReason?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "TransportError";
    this.kind = kind;
    this.url = url;
    this.closeCode = options.closeCode;
    this.closeReason = options.closeReason;
  }
}
