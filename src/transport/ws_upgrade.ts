/**
 * Server-side WebSocket upgrade: turns an HTTP upgrade request into a {@linkcode WebSocketLike}.
 * No subprotocol negotiation and no permessage-deflate (the real gateway sets
 * `perMessageDeflate:false`, protocol.md §0a).
 * @module
 */
import { adaptWebSocket, type WebSocketLike } from "./websocket_open.ts";

/** Whether a request asks for a WebSocket upgrade (header match is case-insensitive). */
export function isUpgradeRequest(req: Request): boolean {
  return (req.headers.get("upgrade") ?? "").toLowerCase() === "websocket";
}

/**
 * Upgrades `req`.
 *
 * @param req The HTTP request (any path).
 * @param onOpen Called with the socket once it is open.
 * @returns The `101` response to return from the HTTP handler.
 * @throws {TypeError} When the request is not a valid upgrade (Deno rejects it).
 */
export function upgradeWebSocket(req: Request, onOpen: (socket: WebSocketLike) => void): Response {
  // idleTimeout: Deno pings every N seconds and closes a socket whose pong does not come back
  // (the real gateway pings every 25 s, protocol.md §1).
  const { socket, response } = Deno.upgradeWebSocket(req, { idleTimeout: 25 });
  const like = adaptWebSocket(socket);
  socket.addEventListener("open", () => onOpen(like), { once: true });
  return response;
}
