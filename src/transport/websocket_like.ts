/**
 * {@linkcode WebSocketLike}, the minimal socket surface the protocol layers use, and
 * {@linkcode createSocketLike}, which builds one over any socket implementation. Frames and the
 * close that arrive before a handler is installed are held and handed over when it is, so a
 * server that speaks first (the gateway's `connect.challenge` right after the upgrade, often in
 * the same TCP segment as the 101) is never lost between "open" and the caller's handler.
 * @module
 */

/** The minimal socket surface used by the protocol layers. */
export interface WebSocketLike {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  /** Bytes queued but not yet sent. */
  readonly bufferedAmount: number;
  onmessage: (data: string | Uint8Array) => void;
  onclose: (code: number, reason: string) => void;
}

/** What an implementation supplies. */
export interface SocketOps {
  send(text: string): void;
  close(code?: number, reason?: string): void;
  bufferedAmount(): number;
}

/**
 * A {@linkcode WebSocketLike} that holds frames and the close until handlers are installed.
 * Implementations extend it (or use {@linkcode createSocketLike}) and call
 * {@linkcode HeldSocket.deliver} / {@linkcode HeldSocket.closed} from the underlying socket's
 * events. A class, not closures: the gateway keeps one per connection (issue 8, memory per
 * session).
 */
export abstract class HeldSocket implements WebSocketLike {
  #onmessage: ((data: string | Uint8Array) => void) | undefined;
  #onclose: ((code: number, reason: string) => void) | undefined;
  #held: Array<string | Uint8Array> | undefined;
  #closeInfo: { code: number; reason: string } | undefined;
  #closeReported = false;

  abstract send(text: string): void;
  abstract close(code?: number, reason?: string): void;
  abstract get bufferedAmount(): number;

  get onmessage(): (data: string | Uint8Array) => void {
    return this.#onmessage ?? (() => {});
  }

  set onmessage(fn: (data: string | Uint8Array) => void) {
    this.#onmessage = fn;
    const held = this.#held;
    while (held?.length && this.#onmessage === fn) fn(held.shift()!);
    this.#reportClose();
  }

  get onclose(): (code: number, reason: string) => void {
    return this.#onclose ?? (() => {});
  }

  set onclose(fn: (code: number, reason: string) => void) {
    this.#onclose = fn;
    this.#reportClose();
  }

  /** A frame arrived: handed to the handler, or held until one is installed. */
  deliver(data: string | Uint8Array): void {
    if (this.#onmessage) this.#onmessage(data);
    else (this.#held ??= []).push(data);
  }

  /** The socket closed: reported once, after every held frame was handed over. */
  closed(code: number, reason: string): void {
    this.#closeInfo ??= { code, reason };
    this.#reportClose();
  }

  #reportClose(): void {
    const info = this.#closeInfo;
    if (!info || this.#closeReported || !this.#onclose || this.#held?.length) return;
    this.#closeReported = true;
    this.#onclose(info.code, info.reason);
  }
}

class OpsSocket extends HeldSocket {
  readonly #ops: SocketOps;

  constructor(ops: SocketOps) {
    super();
    this.#ops = ops;
  }

  send(text: string): void {
    this.#ops.send(text);
  }

  close(code?: number, reason?: string): void {
    this.#ops.close(code, reason);
  }

  get bufferedAmount(): number {
    return this.#ops.bufferedAmount();
  }
}

/**
 * Builds a {@linkcode WebSocketLike} over `ops`.
 *
 * @returns The socket, plus `deliver` / `closed` for the implementation's message and close
 *   events (call them from the underlying socket's listeners).
 * @example
 * ```ts
 * import { createSocketLike } from "./websocket_like.ts";
 * const { socket, deliver } = createSocketLike({ send() {}, close() {}, bufferedAmount: () => 0 });
 * deliver("early");
 * const got: unknown[] = [];
 * socket.onmessage = (d) => got.push(d);
 * console.assert(got[0] === "early");
 * ```
 */
export function createSocketLike(ops: SocketOps): {
  socket: WebSocketLike;
  deliver: (data: string | Uint8Array) => void;
  closed: (code: number, reason: string) => void;
} {
  const socket = new OpsSocket(ops);
  return {
    socket,
    deliver: (data) => socket.deliver(data),
    closed: (code, reason) => socket.closed(code, reason),
  };
}
