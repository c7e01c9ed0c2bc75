/**
 * Server-side `npm:ws` sockets as {@linkcode WebSocketLike}: text frames in and out, close
 * codes passed through, and liveness as the real gateway does it (a ping every 25 s; a peer
 * that has not answered the previous ping is terminated, protocol.md §1), by one
 * {@linkcode LivenessSweep} for all sockets.
 * @module
 */
import { LivenessSweep } from "./liveness_sweep.ts";
import { isUtf8 } from "node:buffer";
import { HeldSocket, type WebSocketLike } from "./websocket_like.ts";

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
/** Decodes text frames (a non-streaming decode keeps no state: one for all sockets). */
const utf8 = new TextDecoder();
/** The adapter of a `ws` socket, kept on the socket so one set of listeners serves all. */
const ADAPTER = Symbol("clawgate.wsServerSocket");

/**
 * An open server-side `ws` socket as a {@linkcode WebSocketLike}. Its `ws` listeners are
 * module-level functions that find the adapter through {@link ADAPTER}: a connection holds no
 * closures of its own (issue 8, memory per idle session).
 */
class WsServerSocket extends HeldSocket {
  readonly #ws: WsSocket;

  constructor(ws: WsSocket) {
    super();
    this.#ws = ws;
  }

  send(text: string): void {
    if (this.#ws.readyState === WS_OPEN) this.#ws.send(text);
  }

  close(code?: number, reason?: string): void {
    try {
      this.#ws.close(code, reason);
    } catch {
      this.#ws.terminate();
    }
  }

  get bufferedAmount(): number {
    return this.#ws.bufferedAmount;
  }
}

type AdaptedWs = WsSocket & { [ADAPTER]: WsServerSocket };

function onPong(this: AdaptedWs): void {
  liveness.seen(this);
}

function onError(): void {}

function onMessage(this: AdaptedWs, data: Uint8Array, isBinary: boolean): void {
  liveness.seen(this);
  if (isBinary) return this[ADAPTER].deliver(new Uint8Array(data));
  // Native validation, then a non-fatal decode: `ws` runs with skipUTF8Validation, and a
  // fatal TextDecoder is ~15× slower on large frames (330 ms vs 20 ms for 25 MB).
  if (!isUtf8(data)) return this.close(1007, "invalid UTF-8");
  this[ADAPTER].deliver(utf8.decode(data));
}

function onClose(this: AdaptedWs, code: number, reason: Uint8Array): void {
  liveness.untrack(this);
  this[ADAPTER].closed(code === 1005 ? 1005 : code, utf8.decode(reason));
}

/**
 * Wraps an open server-side `ws` socket.
 *
 * @param ws A socket handed out by `WebSocketServer.handleUpgrade` (`ws` calls listeners with
 *   the socket as `this`).
 * @returns The socket; messages that arrive before a handler is set are held.
 */
export function adaptWs(ws: WsSocket): WebSocketLike {
  const socket = new WsServerSocket(ws);
  (ws as AdaptedWs)[ADAPTER] = socket;
  liveness.track(ws);
  ws.on("pong", onPong);
  ws.on("error", onError);
  ws.on("message", onMessage);
  ws.on("close", onClose);
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
