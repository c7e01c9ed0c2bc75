/**
 * A server-side WebSocket straight over a `Deno.Conn` (framing: ws_frame.ts), as a
 * {@linkcode WebSocketLike}: text frames in and out, binary messages handed on as bytes, close
 * codes passed through, and liveness as the real gateway does it (a ping every 25 s; a peer that
 * has not answered the previous ping is terminated, protocol.md §1) by one
 * {@linkcode LivenessSweep} for all sockets.
 *
 * Memory per idle session is what issue 8 measures, so a socket is one object with a few fields:
 * no closures of its own, a read buffer that adapts (an idle connection keeps a pending read on
 * {@link MIN_READ_BYTES}; a read that fills it doubles the next one up to
 * {@link MAX_READ_BYTES}, a read under a quarter of it halves it), and a write queue that exists
 * only while writes are in flight (queued frames leave in one `conn.write`).
 *
 * Closing: `close(code, reason)` sends a close frame and waits up to {@link CLOSE_TIMEOUT_MS}
 * for the peer's (as `ws` does) before dropping the connection; a close frame from the peer is
 * echoed with its code, then the connection is closed; `terminate()` drops it at once.
 * @module
 */
import { LivenessSweep } from "./liveness_sweep.ts";
import { HeldSocket } from "./websocket_like.ts";
import {
  CloseCode,
  encodeCloseFrame,
  encodeFrame,
  encodeTextFrame,
  FrameDecoder,
  type FrameSink,
  Opcode,
} from "./ws_frame.ts";

/** Ping interval, in ms (OpenClaw pings every 25 s). */
export const PING_INTERVAL_MS = 25_000;
/** How long a close we started waits for the peer's close frame, in ms (`ws`: 30 s). */
export const CLOSE_TIMEOUT_MS = 30_000;
/** Smallest read buffer in bytes: what each idle connection holds. */
export const MIN_READ_BYTES = 512;
/** Largest read buffer in bytes, reached after a run of full reads (bulk frames). */
export const MAX_READ_BYTES = 64 * 1024;

const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;
/** The ping every socket sends: empty payload, so one frame's bytes serve all (never mutated). */
const PING_FRAME = encodeFrame(Opcode.PING, new Uint8Array(0));

/** One sweep for every server socket of the process (not a timer per socket). */
const liveness = new LivenessSweep(PING_INTERVAL_MS);

/** What a {@linkcode ConnSocket} is made of. */
export interface ConnSocketInit {
  /** The accepted connection, after the upgrade request was read (ownership passes). */
  conn: Deno.Conn;
  /** Bytes to send before any frame (the `101` response): they leave with the first frames. */
  preamble: Uint8Array;
  /** Largest message in bytes until {@linkcode ConnSocket.setMaxPayload} changes it. */
  maxPayload: number;
  /** Called once when the connection is gone. */
  onGone?: () => void;
}

/**
 * The socket. After `new`, install handlers (or hand it on), then call
 * {@linkcode ConnSocket.readAll} to start reading.
 */
export class ConnSocket extends HeldSocket implements FrameSink {
  readonly #conn: Deno.Conn;
  readonly #decoder: FrameDecoder;
  #state = OPEN;
  #closeSent = false;
  #closeReceived = false;
  #endWhenFlushed = false;
  #onGone: (() => void) | undefined;
  #readBuf: Uint8Array | undefined;
  /** Frames waiting for the write in flight (undefined when nothing waits). */
  #queue: Uint8Array[] | undefined;
  #writing = false;
  #buffered = 0;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;
  #closeCode: number = CloseCode.ABNORMAL;
  #closeReason = "";

  constructor(init: ConnSocketInit) {
    super();
    this.#conn = init.conn;
    this.#decoder = new FrameDecoder(this, init.maxPayload);
    this.#onGone = init.onGone;
    this.#enqueue(init.preamble);
  }

  /** Sets the largest message the peer may send, in bytes (enforced from the next frame). */
  setMaxPayload(bytes: number): void {
    this.#decoder.maxPayload = bytes;
  }

  send(text: string): void {
    if (this.#state === OPEN && !this.#closeSent) this.#enqueue(encodeTextFrame(text));
  }

  close(code?: number, reason?: string): void {
    if (this.#state === CLOSED || this.#closeSent) return;
    this.#state = CLOSING;
    this.#sendClose(code, reason ?? "");
    if (this.#closeReceived) this.#endAfterWrites();
    else this.#closeTimer = setTimeout(terminateSocket, CLOSE_TIMEOUT_MS, this);
  }

  get bufferedAmount(): number {
    return this.#buffered;
  }

  /** Sends a ping with an empty payload (the liveness sweep). */
  ping(): void {
    if (this.#state === OPEN) this.#enqueue(PING_FRAME);
  }

  /**
   * Drops the connection now. The socket reports the peer's close code (1005 when its close
   * frame had none), or 1006 when no close frame arrived.
   */
  terminate(): void {
    if (this.#state === CLOSED) return;
    this.#state = CLOSED;
    liveness.untrack(this);
    clearTimeout(this.#closeTimer);
    this.#closeTimer = this.#queue = this.#readBuf = undefined;
    try {
      this.#conn.close();
    } catch { /* closed */ }
    const gone = this.#onGone;
    this.#onGone = undefined;
    gone?.();
    this.closed(this.#closeCode, this.#closeReason);
  }

  /** @internal FrameSink */
  onMessage(data: string | Uint8Array): void {
    liveness.seen(this);
    if (this.#state === OPEN) this.deliver(data);
  }

  /** @internal FrameSink */
  onPing(payload: Uint8Array): void {
    liveness.seen(this);
    if (this.#state === OPEN) this.#enqueue(encodeFrame(Opcode.PONG, payload));
  }

  /** @internal FrameSink */
  onPong(): void {
    liveness.seen(this);
  }

  /** @internal FrameSink: the peer's close; echoed with its code unless ours went first. */
  onCloseFrame(code: number, reason: string): void {
    this.#closeReceived = true;
    this.#closeCode = code;
    this.#closeReason = reason;
    if (!this.#closeSent) {
      this.#state = CLOSING;
      this.#sendClose(code === CloseCode.NO_STATUS ? CloseCode.NORMAL : code, "");
    }
    this.#endAfterWrites();
  }

  /** @internal FrameSink: fail the connection with `code` (RFC 6455 §7.1.7). */
  onProtocolError(code: number, reason: string): void {
    this.close(code, reason);
  }

  #sendClose(code: number | undefined, reason: string): void {
    this.#closeSent = true;
    this.#enqueue(encodeCloseFrame(code, reason));
  }

  /** Closes the connection once the queued frames (the close frame among them) are written. */
  #endAfterWrites(): void {
    if (this.#writing) this.#endWhenFlushed = true;
    else this.terminate();
  }

  #enqueue(frame: Uint8Array): void {
    if (this.#state === CLOSED) return;
    this.#buffered += frame.length;
    (this.#queue ??= []).push(frame);
    if (!this.#writing) {
      this.#writing = true;
      // After the current task: frames sent in the same turn (the 101 and the challenge) go in
      // one write.
      scheduleFlush(this);
    }
  }

  /** @internal The write loop: writes the queue until it is empty. */
  async writeQueued(): Promise<void> {
    while (this.#queue && this.#state !== CLOSED) {
      const frames = this.#queue;
      this.#queue = undefined;
      const data = frames.length === 1 ? frames[0] : concat(frames);
      try {
        for (let off = 0; off < data.length;) off += await this.#conn.write(data.subarray(off));
      } catch {
        this.#writing = false;
        return this.terminate();
      }
      this.#buffered -= data.length;
    }
    this.#writing = false;
    if (this.#endWhenFlushed) this.terminate();
  }

  /**
   * Reads frames until the connection ends: `head` first (bytes read past the request head),
   * then the connection. Tracks the socket for liveness meanwhile. Never rejects.
   */
  async readAll(head: Uint8Array): Promise<void> {
    liveness.track(this);
    if (head.length) this.#decoder.push(head);
    let size = MIN_READ_BYTES;
    while (this.#state !== CLOSED) {
      const buf = this.#readBuf?.length === size ? this.#readBuf : new Uint8Array(size);
      this.#readBuf = buf;
      let n: number | null;
      try {
        n = await this.#conn.read(buf);
      } catch {
        n = null;
      }
      if (n === null) return this.terminate();
      if (n === buf.length) size = Math.min(MAX_READ_BYTES, size * 2);
      else if (n < buf.length / 4) size = Math.max(MIN_READ_BYTES, size / 2);
      if (this.#state === CLOSED) return;
      // After a protocol error, input is read and dropped until the peer closes or times out.
      if (!this.#decoder.failed) this.#decoder.push(buf.subarray(0, n));
    }
  }
}

/** Sockets with frames queued in this turn: one microtask flushes them all (a sweep's pings). */
let toFlush: ConnSocket[] = [];

function scheduleFlush(socket: ConnSocket): void {
  if (toFlush.push(socket) === 1) queueMicrotask(flushAll);
}

function flushAll(): void {
  const batch = toFlush;
  toFlush = [];
  for (const socket of batch) void socket.writeQueued();
}

function terminateSocket(socket: ConnSocket): void {
  socket.terminate();
}

function concat(parts: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
