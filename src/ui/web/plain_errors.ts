/**
 * Gateway refusals in plain words, and whether retrying by itself can help.
 *
 * Codes: protocol.md §1.1 (`details.code`), §3.4 (pairing), §4 (auth, rate limit).
 * @module
 */

/** A refusal as the page shows it. */
export interface PlainError {
  /** One or two sentences for the operator. */
  text: string;
  /** `login`: ask for the token again; `wait`: the socket retries by itself; `stop`: needs a person. */
  next: "login" | "wait" | "stop";
}

/** The `error` of a refused `connect` response. */
export interface WireError {
  code?: string;
  message?: string;
  details?: { code?: string; requestId?: string; reason?: string } | unknown;
  retryAfterMs?: number;
}

/**
 * Explains a refused handshake.
 *
 * @example
 * ```ts
 * import { explainConnectError } from "./plain_errors.ts";
 * const e = explainConnectError({ details: { code: "AUTH_TOKEN_MISMATCH" } });
 * console.assert(e.next === "login" && e.text.startsWith("Wrong token"));
 * ```
 */
export function explainConnectError(err: WireError): PlainError {
  const details = (err.details ?? {}) as { code?: string; requestId?: string };
  const code = details.code ?? "";
  const message = err.message ?? "";
  if (code === "AUTH_RATE_LIMITED" || /too many failed authentication/.test(message)) {
    const mins = err.retryAfterMs ? Math.ceil(err.retryAfterMs / 60_000) : 5;
    return {
      text:
        `Too many wrong tokens from this browser. The gateway ignores logins from it for about ${mins} min; wait, then try again.`,
      next: "login",
    };
  }
  if (code === "AUTH_TOKEN_MISMATCH" || code === "AUTH_PASSWORD_MISMATCH") {
    const what = code === "AUTH_TOKEN_MISMATCH" ? "token" : "password";
    return {
      text:
        `Wrong ${what}: the gateway refused it. Use the gateway's gateway.auth.${what} (or the generated token file it printed at start) and try again.`,
      next: "login",
    };
  }
  if (code === "AUTH_TOKEN_MISSING" || code === "AUTH_PASSWORD_MISSING") {
    return { text: "This gateway needs a token or password to log in.", next: "login" };
  }
  if (code === "PAIRING_REQUIRED") {
    const id = details.requestId ?? "<requestId>";
    return {
      text:
        `This browser is not paired with the gateway yet. On the gateway host run \`clawgate devices approve ${id}\` (list requests with \`clawgate devices list\`), then press Retry.`,
      next: "stop",
    };
  }
  if (code === "CONTROL_UI_ORIGIN_NOT_ALLOWED") {
    return {
      text:
        "The gateway does not accept this page's origin. Open the UI from the gateway's own address, or add this origin to gateway.controlUi.allowedOrigins.",
      next: "stop",
    };
  }
  if (code.startsWith("DEVICE_AUTH_") || code === "CONTROL_UI_DEVICE_IDENTITY_REQUIRED") {
    return {
      text:
        `The gateway did not accept this browser's device key (${message}). Check the clocks of both machines, or clear this site's data and log in again.`,
      next: "stop",
    };
  }
  if (code === "PROTOCOL_MISMATCH") {
    return { text: "This page and the gateway speak different protocol versions.", next: "stop" };
  }
  if (err.code === "UNAVAILABLE") {
    return { text: `The gateway is not ready (${message}); retrying.`, next: "wait" };
  }
  return {
    text: `The gateway refused the login: ${message || err.code || "unknown error"}`,
    next: "stop",
  };
}

/**
 * Explains a closed socket that was not a refused login.
 *
 * @param code The WebSocket close code.
 * @param wasOpen Whether a session had been established on it.
 */
export function explainClose(code: number, wasOpen: boolean): string {
  if (code === 1012 || code === 1013) return "The gateway is restarting.";
  if (code === 4001) return "The gateway's token changed; log in again.";
  if (!wasOpen) return "Cannot reach the gateway.";
  return `Lost the connection to the gateway (close ${code}).`;
}
