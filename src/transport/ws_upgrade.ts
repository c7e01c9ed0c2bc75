/**
 * Server-side WebSocket upgrade: an HTTP handler calls {@linkcode upgradeWebSocket} and returns
 * its response; the listener (`http_listener.ts`) then performs the handshake on the
 * connection and calls `onOpen` with the socket. No subprotocol negotiation and no
 * permessage-deflate (the real gateway sets `perMessageDeflate:false`, protocol.md §0a).
 * @module
 */
import type { WebSocketLike } from "./websocket_like.ts";

/**
 * Called once the socket is open. Call `handshakeDone` when the protocol handshake succeeded,
 * with the session's frame limit in bytes: it releases the connection's pre-handshake budget
 * (closing the socket releases it too) and raises the buffer limit from the pre-auth one.
 */
export type PendingUpgrade = (
  socket: WebSocketLike,
  handshakeDone: (maxPayloadBytes: number) => void,
) => void;

const pending = new WeakMap<Request, PendingUpgrade>();

/** Whether a request asks for a WebSocket upgrade (header match is case-insensitive). */
export function isUpgradeRequest(req: Request): boolean {
  return (req.headers.get("upgrade") ?? "").toLowerCase() === "websocket";
}

/**
 * Marks `req` for upgrade.
 *
 * @param req The HTTP request (any path).
 * @param onOpen Called with the socket once it is open.
 * @returns The response to return from the HTTP handler: the listener answers `101` in its
 *   place; a version other than 13 gets `426` with `Sec-WebSocket-Version: 13` (RFC 6455 §4.4).
 * @throws {TypeError} When the request is not a valid upgrade (`GET`, `Connection: upgrade`, a
 *   16-byte base64 `Sec-WebSocket-Key`); answer 400.
 */
export function upgradeWebSocket(req: Request, onOpen: PendingUpgrade): Response {
  if (req.method !== "GET") throw new TypeError("Invalid method: upgrades must use GET");
  const connection = (req.headers.get("connection") ?? "").toLowerCase().split(",");
  if (!connection.some((t) => t.trim() === "upgrade")) {
    throw new TypeError("Missing or invalid Connection header (expected upgrade)");
  }
  const key = req.headers.get("sec-websocket-key") ?? "";
  if (!/^[+/0-9A-Za-z]{21}[AQgw]==$/.test(key)) {
    throw new TypeError("Missing or invalid Sec-WebSocket-Key header (16 bytes, base64)");
  }
  if (req.headers.get("sec-websocket-version") !== "13") {
    return new Response("Unsupported WebSocket version: use 13\n", {
      status: 426,
      headers: { "sec-websocket-version": "13" },
    });
  }
  pending.set(req, onOpen);
  return new Response(null, { status: 200 });
}

/** The listener's side: the pending upgrade registered for `req`, removed once taken. */
export function takeUpgrade(req: Request): PendingUpgrade | undefined {
  const f = pending.get(req);
  pending.delete(req);
  return f;
}
