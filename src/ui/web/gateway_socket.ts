/**
 * The Control UI's connection to its gateway: the same WebSocket protocol as every other
 * operator client, from the page's own origin. It answers `connect.challenge` with a signed
 * `connect` (client `openclaw-control-ui` / mode `webchat`, as OpenClaw's own Control UI),
 * correlates requests, fans out events, and reconnects with capped jittered backoff (honouring
 * `retryAfterMs`) unless the refusal needs a person (wrong token, pairing).
 *
 * Sources: protocol.md §2 (handshake), §2.5 (client reconnect rules); OpenClaw's Control UI
 * bundle (`clientName openclaw-control-ui`, `mode webchat`).
 * @module
 */
/// <reference lib="dom" />
import { type DeviceIdentity, signPayload } from "../../identity/device_identity.ts";
import { buildDeviceAuthPayloadV3 } from "../../identity/signature_payload.ts";
import { Backoff } from "../../platform/backoff.ts";
import { PROTOCOL_VERSION } from "../../protocol/version.ts";
import { explainClose, explainConnectError, type WireError } from "./plain_errors.ts";

/** OpenClaw's Control UI identity on the wire. */
export const CONTROL_UI_CLIENT = { id: "openclaw-control-ui", mode: "webchat" } as const;
/** Scopes the page asks for: everything the CLI's operator commands use. */
export const CONTROL_UI_SCOPES = [
  "operator.read",
  "operator.write",
  "operator.admin",
  "operator.pairing",
] as const;
const PLATFORM = "web";
const REQUEST_TIMEOUT_MS = 60_000;

/** The shared secret the operator typed. */
export interface Credentials {
  kind: "token" | "password";
  secret: string;
}

/** What the page shows about the connection. */
export type ConnState =
  | { phase: "connecting"; note?: string }
  | { phase: "open"; hello: Hello }
  | { phase: "retrying"; note: string; inMs: number }
  | { phase: "refused"; note: string; next: "login" | "stop" };

/** The parts of `hello-ok` the page reads. */
export interface Hello {
  server: { version: string; connId: string };
  snapshot: { presence: unknown[]; uptimeMs: number; authMode?: string };
  auth: { scopes: string[] };
}

/** An RPC refused by the gateway. */
export class GatewayRpcError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

type Pending = {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout>;
};

/** One logical connection that survives gateway restarts. */
export class GatewaySocket {
  readonly #url: string;
  readonly #identity: DeviceIdentity;
  readonly #credentials: Credentials;
  readonly #onState: (s: ConnState) => void;
  readonly #onEvent: (event: string, payload: unknown) => void;
  readonly #backoff = new Backoff({ baseMs: 1000, capMs: 30_000, resetAfterMs: 10_000 });
  readonly #pending = new Map<string, Pending>();
  #ws: WebSocket | undefined;
  #stopped = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #openedAt = 0;
  /** The gateway announced a restart (`shutdown` event or close 1012/1013) since the last session. */
  #restarting = false;
  #seq = 0;

  constructor(options: {
    url: string;
    identity: DeviceIdentity;
    credentials: Credentials;
    onState: (s: ConnState) => void;
    onEvent: (event: string, payload: unknown) => void;
  }) {
    this.#url = options.url;
    this.#identity = options.identity;
    this.#credentials = options.credentials;
    this.#onState = options.onState;
    this.#onEvent = options.onEvent;
    this.#open();
  }

  /** Stops for good: closes the socket and cancels any retry. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    this.#ws?.close(1000, "logout");
  }

  /** Reconnects now (after a pairing approval, say). */
  retry(): void {
    clearTimeout(this.#retryTimer);
    this.#ws?.close(1000, "retry");
    this.#open();
  }

  /**
   * Calls a gateway method.
   *
   * @throws {GatewayRpcError} The gateway answered an error, or the socket closed first.
   */
  request<T = unknown>(method: string, params: unknown = {}): Promise<T> {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(new GatewayRpcError("NOT_CONNECTED", "not connected to the gateway"));
    }
    return this.#send(ws, method, params) as Promise<T>;
  }

  #send(ws: WebSocket, method: string, params: unknown): Promise<unknown> {
    const id = `ui-${++this.#seq}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new GatewayRpcError("TIMEOUT", `${method} got no answer in 60 s`));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, { resolve, reject, timer });
      ws.send(JSON.stringify({ type: "req", id, method, params }));
    });
  }

  #open(): void {
    if (this.#stopped) return;
    this.#onState({ phase: "connecting" });
    const ws = new WebSocket(this.#url);
    this.#ws = ws;
    let session = false;
    let refused = false;
    ws.onmessage = async (ev) => {
      if (ws !== this.#ws || typeof ev.data !== "string") return;
      let frame: Record<string, unknown>;
      try {
        frame = JSON.parse(ev.data);
      } catch {
        return;
      }
      if (frame.type === "event" && frame.event === "connect.challenge") {
        try {
          const hello = await this.#handshake(ws, frame.payload as { nonce: string; ts: number });
          session = true;
          this.#openedAt = Date.now();
          this.#restarting = false;
          this.#onState({ phase: "open", hello: hello as Hello });
        } catch (err) {
          if (!(err instanceof HandshakeRefused)) return;
          // The server closes the socket next; the decision is made here, not in onclose.
          refused = true;
          const { text, next } = err.plain;
          if (next === "wait") this.#retryLater(text, err.retryAfterMs);
          else this.#onState({ phase: "refused", note: text, next });
        }
        return;
      }
      if (frame.type === "res") {
        const p = this.#pending.get(String(frame.id));
        if (!p) return;
        this.#pending.delete(String(frame.id));
        clearTimeout(p.timer);
        if (frame.ok) p.resolve(frame.payload);
        else {
          const e = (frame.error ?? {}) as WireError;
          p.reject(
            Object.assign(new GatewayRpcError(e.code ?? "ERROR", e.message ?? "failed"), {
              wire: e,
            }),
          );
        }
        return;
      }
      if (frame.type === "event" && session) {
        if (frame.event === "shutdown") this.#restarting = true;
        this.#onEvent(String(frame.event), frame.payload);
      }
    };
    ws.onclose = (ev) => {
      if (ws !== this.#ws) return;
      for (const [id, p] of this.#pending) {
        clearTimeout(p.timer);
        p.reject(new GatewayRpcError("NOT_CONNECTED", "the connection closed"));
        this.#pending.delete(id);
      }
      if (this.#stopped || refused) return;
      if (ev.code === 4001) {
        this.#onState({ phase: "refused", note: explainClose(ev.code, session), next: "login" });
        return;
      }
      if (ev.code === 1012 || ev.code === 1013) this.#restarting = true;
      // Until a session opens again, failed attempts after a restart still say "restarting".
      this.#retryLater(explainClose(this.#restarting ? 1012 : ev.code, session));
    };
  }

  async #handshake(ws: WebSocket, challenge: { nonce: string; ts: number }): Promise<unknown> {
    const signedAt = Date.now();
    const auth = this.#credentials.kind === "token"
      ? { token: this.#credentials.secret }
      : { password: this.#credentials.secret };
    const payload = buildDeviceAuthPayloadV3({
      deviceId: this.#identity.deviceId,
      clientId: CONTROL_UI_CLIENT.id,
      clientMode: CONTROL_UI_CLIENT.mode,
      role: "operator",
      scopes: CONTROL_UI_SCOPES,
      signedAtMs: signedAt,
      token: this.#credentials.kind === "token" ? this.#credentials.secret : "",
      nonce: challenge.nonce,
      platform: PLATFORM,
    });
    const params = {
      minProtocol: PROTOCOL_VERSION,
      maxProtocol: PROTOCOL_VERSION,
      client: {
        id: CONTROL_UI_CLIENT.id,
        mode: CONTROL_UI_CLIENT.mode,
        version: "clawgate-ui",
        platform: PLATFORM,
        displayName: "Control UI",
      },
      role: "operator",
      scopes: [...CONTROL_UI_SCOPES],
      auth,
      device: {
        id: this.#identity.deviceId,
        publicKey: this.#identity.publicKey,
        signature: await signPayload(this.#identity, payload),
        signedAt,
        nonce: challenge.nonce,
      },
      userAgent: navigator.userAgent,
    };
    try {
      return await this.#send(ws, "connect", params);
    } catch (err) {
      const wire = (err as { wire?: WireError }).wire;
      if (!wire) throw err;
      throw new HandshakeRefused(explainConnectError(wire), wire.retryAfterMs);
    }
  }

  #retryLater(note: string, retryAfterMs?: number): void {
    if (this.#stopped) return;
    const upFor = this.#openedAt ? Date.now() - this.#openedAt : 0;
    this.#openedAt = 0;
    const inMs = Math.max(this.#backoff.next(upFor), retryAfterMs ?? 0, 250);
    this.#onState({ phase: "retrying", note, inMs });
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => this.#open(), inMs);
  }
}

class HandshakeRefused extends Error {
  readonly plain: ReturnType<typeof explainConnectError>;
  readonly retryAfterMs?: number;
  constructor(plain: ReturnType<typeof explainConnectError>, retryAfterMs?: number) {
    super(plain.text);
    this.plain = plain;
    this.retryAfterMs = retryAfterMs;
  }
}
