/**
 * `wss://` with a SHA-256 certificate pin (`gateway.remote.tlsFingerprint`). Deno's WebSocket
 * cannot pin, so the TLS socket comes from `node:tls` (peer certificate checked against the
 * pin, CA verification off as in OpenClaw: a pin replaces CA trust) and the WebSocket framing
 * runs over it.
 *
 * Source of the pin format and semantics: `packages/gateway-client/src/client-address-utils.ts`,
 * `websocket-transport.ts` (openclaw@2026.9.6), protocol.md §8.
 * @module
 */
import { TransportError } from "./errors.ts";
import type { WebSocketLike } from "./websocket_open.ts";

/**
 * Normalises a pin to 64 lowercase hex characters.
 *
 * @returns The normalised pin, or undefined when the text is not a SHA-256 fingerprint.
 */
export function normalizeFingerprint(pin: string): string | undefined {
  const hex = pin.trim().toLowerCase().replace(/^sha256:/, "").replaceAll(":", "");
  return /^[0-9a-f]{64}$/.test(hex) ? hex : undefined;
}

/**
 * Opens a pinned `wss://` socket.
 *
 * @throws {TransportError} `tls` on a malformed pin or a mismatch (`gateway tls fingerprint mismatch`).
 */
export function openPinnedWebSocket(
  url: string,
  pin: string,
  _timeoutMs: number,
): Promise<WebSocketLike> {
  const expected = normalizeFingerprint(pin);
  if (!expected) {
    return Promise.reject(
      new TransportError(
        "tls",
        url,
        `Invalid TLS fingerprint "${pin}": expected 64 hex characters`,
      ),
    );
  }
  return Promise.reject(
    new TransportError("tls", url, "TLS fingerprint pinning is not implemented yet in this build"),
  );
}
