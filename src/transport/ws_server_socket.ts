/**
 * Server-side `npm:ws` sockets as {@linkcode WebSocketLike}: text frames in and out, close
 * codes passed through, and liveness as the real gateway does it (a ping every 25 s; a peer
 * that has not answered the previous ping is terminated, protocol.md §1), by one
 * {@linkcode LivenessSweep} for all sockets.
 * @module
 */
import { LivenessSweep } from "./liveness_sweep.ts";
import { isUtf8 } from "node:buffer";
import { createSocketLike, type WebSocketLike } from "./websocket_like.ts";

/** Ping interval, in ms (OpenClaw pings every 25 s). */
export const PING_INTERVAL_MS = 25_000;

/** The subset of a server-side `ws` WebSocket used here (the package ships no types). */
export interface WsSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  ping(): void;
  terminate(): void;
  on(event: "message", fn: (data: Uint8Array, isBinary: boolean) => void): void;
  on(event: "close", fn: (code: number, reason: Uint8Array) => void): void;
  on(event: "pong" | "error", fn: () => void): void;
}

/** The subset of `ws`'s `WebSocketServer` used here. */
export interface WsServer {
  handleUpgrade(
    req: { method: string; url: string; headers: Record<string, string> },
    socket: unknown,
    head: Uint8Array,
    cb: (ws: WsSocket) => void,
  ): void;
}
/** `new WebSocketServer(options)`. */
export type WsServerConstructor = new (options: {
  noServer: true;
  perMessageDeflate: false;
  maxPayload: number;
  clientTracking: false;
  skipUTF8Validation: true;
}) => WsServer;

const WS_OPEN = 1;
/** One sweep for every server socket of the process (not a timer per socket). */
const liveness = new LivenessSweep(PING_INTERVAL_MS);

/**
 * Wraps an open server-side `ws` socket.
 *
 * @param ws A socket handed out by `WebSocketServer.handleUpgrade`.
 * @returns The socket; messages that arrive before a handler is set are held.
 */
export function adaptWs(ws: WsSocket): WebSocketLike {
  const { socket, deliver, closed } = createSocketLike({
    send: (text) => {
      if (ws.readyState === WS_OPEN) ws.send(text);
    },
    close: (code, reason) => {
      try {
        ws.close(code, reason);
      } catch {
        ws.terminate();
      }
    },
    bufferedAmount: () => ws.bufferedAmount,
  });
  liveness.track(ws);
  ws.on("pong", () => liveness.seen(ws));
  ws.on("error", () => {});
  const utf8 = new TextDecoder();
  ws.on("message", (data, isBinary) => {
    liveness.seen(ws);
    if (isBinary) return deliver(new Uint8Array(data));
    // Native validation, then a non-fatal decode: `ws` runs with skipUTF8Validation, and a
    // fatal TextDecoder is ~15× slower on large frames (330 ms vs 20 ms for 25 MB).
    if (!isUtf8(data)) return ws.close(1007, "invalid UTF-8");
    deliver(utf8.decode(data));
  });
  ws.on("close", (code, reason) => {
    liveness.untrack(ws);
    closed(code === 1005 ? 1005 : code, new TextDecoder().decode(reason));
  });
  return socket;
}

/**
 * Raises (or lowers) the largest message `ws` buffers on an open socket, in bytes. `ws` has no
 * public setter; like OpenClaw (`raiseGatewayReceiverPayloadLimit`) this writes the receiver's
 * `_maxPayload` when it is a writable number, and does nothing otherwise.
 */
export function setMaxPayload(ws: WsSocket, bytes: number): void {
  const receiver = (ws as unknown as { _receiver?: Record<string, unknown> })._receiver;
  if (!receiver || typeof receiver._maxPayload !== "number") return;
  if (Object.getOwnPropertyDescriptor(receiver, "_maxPayload")?.writable !== true) return;
  receiver._maxPayload = bytes;
}
