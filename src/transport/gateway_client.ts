/**
 * The client side of the Gateway WebSocket protocol: open a socket, answer the
 * `connect.challenge` with a `connect` request, wait for `hello-ok`, then correlate `req`/`res`
 * frames and fan out events. Used by the CLI, the node and the tunnel readiness probe.
 *
 * Protocol facts: protocol.md §1–2 (challenge first, `"<n>:<uuid>"` request ids, two-phase
 * `accepted` responses, 15 s challenge and hello deadlines).
 * @module
 */
import * as v from "valibot";
import {
  type ConnectChallenge,
  ConnectChallengeSchema,
  type ConnectParams,
  decodeFrame,
  encodeFrame,
  type EventFrame,
  type HelloOkRead,
  HelloOkReadSchema,
  RpcError,
} from "../protocol/client.ts";
import { TransportError } from "./errors.ts";
import { openWebSocket, type WebSocketLike } from "./websocket_open.ts";
import { clampTimerDelayMs } from "../platform/timer_delay.ts";

/** Options for {@linkcode GatewayClient.open}. */
export interface GatewayClientOptions {
  /** `ws://` or `wss://` URL. */
  url: string;
  /** Builds the `connect` params once the challenge arrived (so a device proof can be signed). */
  buildConnect: (challenge: ConnectChallenge) => ConnectParams | Promise<ConnectParams>;
  /** Deadline for challenge and for hello, each, in milliseconds. @default {15000} */
  handshakeTimeoutMs?: number;
  /** SHA-256 certificate pin for `wss://` (hex, optionally `sha256:`-prefixed). */
  tlsFingerprint?: string;
  /** Aborting closes the socket. */
  signal?: AbortSignal;
  /** Called for every event frame after hello. */
  onEvent?: (frame: EventFrame) => void;
  /** Called once when the socket closes (after hello). */
  onClose?: (code: number, reason: string) => void;
}

/** Options for one request. */
export interface RequestOptions {
  /** Deadline for the response, in milliseconds. @default {30000} */
  timeoutMs?: number;
  /** Keep waiting past a first `{status:"accepted"}` response (two-phase methods). */
  expectFinal?: boolean;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  expectFinal: boolean;
  method: string;
}

/** A connected, handshaken gateway session. */
export class GatewayClient {
  /** The `hello-ok` payload. */
  readonly hello: HelloOkRead;
  /** The challenge this session answered. */
  readonly challenge: ConnectChallenge;
  /** Epoch ms of the last frame received (tick watchdogs read this). */
  lastActivityMs = Date.now();
  readonly #ws: WebSocketLike;
  readonly #url: string;
  readonly #pending = new Map<string, Pending>();
  #nextId = 2;
  #closed = false;
  #onEvent?: (frame: EventFrame) => void;
  #onClose?: (code: number, reason: string) => void;
  /** Resolves with the close code and reason when the socket closes. */
  readonly closed: Promise<{ code: number; reason: string }>;
  #resolveClosed!: (v: { code: number; reason: string }) => void;

  private constructor(
    ws: WebSocketLike,
    url: string,
    hello: HelloOkRead,
    challenge: ConnectChallenge,
    options: GatewayClientOptions,
    early: Early,
  ) {
    this.#ws = ws;
    this.#url = url;
    this.hello = hello;
    this.challenge = challenge;
    this.#onEvent = options.onEvent;
    this.#onClose = options.onClose;
    this.closed = new Promise((r) => (this.#resolveClosed = r));
    ws.onmessage = (data) => this.#onMessage(data);
    ws.onclose = (code, reason) => this.#handleClose(code, reason);
    // Frames that arrived between hello-ok and now (same TCP segment, same tick) are replayed.
    for (const data of early.frames) this.#onMessage(data);
    if (early.close) this.#handleClose(early.close.code, early.close.reason);
  }

  /**
   * Opens a socket and completes the handshake.
   *
   * @returns A session whose `hello` holds the `hello-ok` payload.
   * @throws {TransportError} `refused` (nothing listening), `timeout` (no challenge or hello in
   *   time), `closed` (the server closed first), `tls` (pin mismatch), `protocol` (bad frames).
   * @throws {RpcError} The gateway refused `connect` (auth, pairing, protocol mismatch).
   */
  static async open(options: GatewayClientOptions): Promise<GatewayClient> {
    const timeoutMs = clampTimerDelayMs(options.handshakeTimeoutMs ?? 15_000);
    const ws = await openWebSocket(options.url, {
      timeoutMs,
      tlsFingerprint: options.tlsFingerprint,
      signal: options.signal,
    });
    try {
      const { hello, challenge, early } = await handshake(ws, options, timeoutMs);
      const client = new GatewayClient(ws, options.url, hello, challenge, options, early);
      options.signal?.addEventListener("abort", () => client.close(1000, "aborted"), {
        once: true,
      });
      return client;
    } catch (err) {
      ws.close(1000);
      throw err;
    }
  }

  /** Whether the socket is still open. */
  get isOpen(): boolean {
    return !this.#closed;
  }

  /**
   * Sends a request and waits for its response payload.
   *
   * @param method Method name such as `health`.
   * @param params Omitted from the frame when undefined (the real CLI sends `health` without params).
   * @throws {RpcError} The gateway answered `ok:false`.
   * @throws {TransportError} `timeout` after `timeoutMs`, or `closed` when the socket closed first.
   */
  request<T = unknown>(method: string, params?: unknown, options: RequestOptions = {}): Promise<T> {
    if (this.#closed) {
      return Promise.reject(
        new TransportError(
          "closed",
          this.#url,
          `Cannot send ${method}: the gateway connection is closed`,
        ),
      );
    }
    const id = `${this.#nextId++}:${crypto.randomUUID()}`;
    const timeoutMs = clampTimerDelayMs(options.timeoutMs ?? 30_000);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(
          new TransportError(
            "timeout",
            this.#url,
            `Timed out after ${timeoutMs}ms waiting for ${method}`,
          ),
        );
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: resolve as (v: unknown) => void,
        reject,
        timer,
        expectFinal: options.expectFinal ?? false,
        method,
      });
      const frame = params === undefined
        ? { type: "req" as const, id, method }
        : { type: "req" as const, id, method, params };
      this.#ws.send(encodeFrame(frame));
    });
  }

  /** Closes the socket; pending requests fail with `closed`. */
  close(code = 1000, reason = ""): void {
    if (this.#closed) return;
    this.#ws.close(code, reason);
    this.#handleClose(code, reason);
  }

  #onMessage(data: string | Uint8Array): void {
    this.lastActivityMs = Date.now();
    if (typeof data !== "string") return;
    const decoded = decodeFrame(data);
    if (!decoded.ok) return;
    const frame = decoded.frame;
    if (frame.type === "event") {
      this.#onEvent?.(frame);
      return;
    }
    if (frame.type !== "res") return;
    const pending = this.#pending.get(frame.id);
    if (!pending) return;
    if (frame.ok) {
      const payload = frame.payload as { status?: unknown } | undefined;
      if (pending.expectFinal && payload?.status === "accepted") return;
      clearTimeout(pending.timer);
      this.#pending.delete(frame.id);
      pending.resolve(frame.payload);
    } else {
      clearTimeout(pending.timer);
      this.#pending.delete(frame.id);
      pending.reject(
        frame.error
          ? RpcError.fromShape(frame.error)
          : new RpcError("UNAVAILABLE", "request failed"),
      );
    }
  }

  #handleClose(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const [id, p] of this.#pending) {
      clearTimeout(p.timer);
      p.reject(
        new TransportError(
          "closed",
          this.#url,
          `Gateway closed the connection while waiting for ${p.method} (code ${code}${
            reason ? `: ${reason}` : ""
          })`,
          { closeCode: code, closeReason: reason },
        ),
      );
      this.#pending.delete(id);
    }
    this.#onClose?.(code, reason);
    this.#resolveClosed({ code, reason });
  }
}

/** Frames (and a close) received after the handshake settled, before the session took over. */
interface Early {
  frames: Array<string | Uint8Array>;
  close?: { code: number; reason: string };
}

/** Runs challenge → connect → hello-ok on an open socket. */
function handshake(
  ws: WebSocketLike,
  options: GatewayClientOptions,
  timeoutMs: number,
): Promise<{ hello: HelloOkRead; challenge: ConnectChallenge; early: Early }> {
  const url = options.url;
  return new Promise((resolve, reject) => {
    let challenge: ConnectChallenge | undefined;
    let settled = false;
    const finish = (
      err: Error | undefined,
      value?: { hello: HelloOkRead; challenge: ConnectChallenge },
    ) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const early: Early = { frames: [] };
      ws.onmessage = (data) => early.frames.push(data);
      ws.onclose = (code, reason) => (early.close = { code, reason });
      if (err) reject(err);
      else resolve({ ...value!, early });
    };
    let timer = setTimeout(
      () =>
        finish(
          new TransportError(
            "timeout",
            url,
            `No connect.challenge from ${url} within ${timeoutMs}ms`,
          ),
        ),
      timeoutMs,
    );
    ws.onclose = (code, reason) =>
      finish(
        new TransportError(
          "closed",
          url,
          `Gateway at ${url} closed the connection during the handshake (code ${code}${
            reason ? `: ${reason}` : ""
          })`,
          { closeCode: code, closeReason: reason },
        ),
      );
    ws.onmessage = async (data) => {
      if (typeof data !== "string") return;
      const decoded = decodeFrame(data);
      if (!decoded.ok) {
        return finish(
          new TransportError("protocol", url, `Gateway sent an invalid frame: ${decoded.message}`),
        );
      }
      const frame = decoded.frame;
      if (!challenge) {
        if (frame.type !== "event" || frame.event !== "connect.challenge") return;
        const parsed = v.safeParse(ConnectChallengeSchema, frame.payload);
        if (!parsed.success) {
          return finish(
            new TransportError("protocol", url, "Gateway sent a connect.challenge without a nonce"),
          );
        }
        challenge = parsed.output;
        clearTimeout(timer);
        timer = setTimeout(
          () =>
            finish(
              new TransportError("timeout", url, `No hello-ok from ${url} within ${timeoutMs}ms`),
            ),
          timeoutMs,
        );
        let params: ConnectParams;
        try {
          params = await options.buildConnect(challenge);
        } catch (err) {
          return finish(err as Error);
        }
        ws.send(
          encodeFrame({ type: "req", id: `1:${crypto.randomUUID()}`, method: "connect", params }),
        );
        return;
      }
      if (frame.type !== "res") return;
      if (!frame.ok) {
        return finish(
          frame.error
            ? RpcError.fromShape(frame.error)
            : new RpcError("UNAVAILABLE", "connect failed"),
        );
      }
      const hello = v.safeParse(HelloOkReadSchema, frame.payload);
      if (!hello.success) {
        return finish(
          new TransportError("protocol", url, "Gateway answered connect without a valid hello-ok"),
        );
      }
      finish(undefined, { hello: hello.output, challenge });
    };
  });
}
