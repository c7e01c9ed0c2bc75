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
  let onmessage: ((data: string | Uint8Array) => void) | undefined;
  let onclose: ((code: number, reason: string) => void) | undefined;
  const held: Array<string | Uint8Array> = [];
  let closeInfo: { code: number; reason: string } | undefined;
  let closeReported = false;
  // The close is reported once, and only after every held frame was handed over.
  const reportClose = () => {
    if (!closeInfo || closeReported || !onclose || held.length) return;
    closeReported = true;
    onclose(closeInfo.code, closeInfo.reason);
  };
  const socket: WebSocketLike = {
    send: (text) => ops.send(text),
    close: (code, reason) => ops.close(code, reason),
    get bufferedAmount() {
      return ops.bufferedAmount();
    },
    get onmessage() {
      return onmessage ?? (() => {});
    },
    set onmessage(fn) {
      onmessage = fn;
      while (held.length && onmessage === fn) fn(held.shift()!);
      reportClose();
    },
    get onclose() {
      return onclose ?? (() => {});
    },
    set onclose(fn) {
      onclose = fn;
      reportClose();
    },
  };
  return {
    socket,
    deliver: (data) => {
      if (onmessage) onmessage(data);
      else held.push(data);
    },
    closed: (code, reason) => {
      closeInfo ??= { code, reason };
      reportClose();
    },
  };
}
