/**
 * One WebSocket connection on the gateway: challenge first, the 15 s handshake window, the
 * pre-hello size limit, `connect` admission, then request dispatch with role and scope checks.
 * A bad frame closes this connection only.
 *
 * Close codes and messages: protocol.md §1.2 and §2.3.
 * @module
 */
import * as v from "valibot";
import {
  type ConnectChallenge,
  ConnectParamsSchema,
  decodeFrame,
  ErrorCodes,
  formatIssues,
  hasScope,
  invalidRequest,
  MAX_PREAUTH_PAYLOAD_BYTES,
  NODE_ONLY_METHODS,
  type RequestFrame,
  requiredScope,
  RpcError,
  utf8Exceeds,
  utf8Length,
} from "../protocol/mod.ts";
import type { WebSocketLike } from "../transport/websocket_like.ts";
import { admitConnect, type DeviceAdmission, HandshakeRejection } from "./handshake.ts";
import type { MethodTable } from "./methods/registry.ts";
import type { PeerInfo, Session } from "./session.ts";
import type { GatewayState } from "./state.ts";

/** Pre-auth window: no `hello-ok` within this many milliseconds → close 1000. */
export const HANDSHAKE_TIMEOUT_MS = 15_000;
const MAX_PENDING_HANDSHAKE_FRAMES = 15;

/** Options for {@linkcode serveConnection}. */
export interface ConnectionOptions {
  state: GatewayState;
  methods: MethodTable;
  peer: PeerInfo;
  devices?: DeviceAdmission;
  handshakeTimeoutMs?: number;
  /**
   * Called once `hello-ok` is sent with the session's frame limit in bytes (the listener
   * releases the pre-handshake budget and raises its frame limit).
   */
  handshakeDone?: (maxPayloadBytes: number) => void;
}

/**
 * Runs the protocol on an open socket until it closes.
 *
 * @param socket The accepted socket.
 */
export function serveConnection(socket: WebSocketLike, options: ConnectionOptions): void {
  const { state, methods, peer, devices } = options;
  const log = state.logger;
  // Handshake-only state is dropped after hello-ok (`undefined`): an idle session keeps no
  // challenge, timer or upgrade request alive (the listener's `handshakeDone` closure holds the
  // HTTP request), issue 8. No closure below reads `options`, so it is not kept either.
  let challenge: ConnectChallenge | undefined = { nonce: crypto.randomUUID(), ts: Date.now() };
  let handshakeDone = options.handshakeDone;
  let session: Session | undefined;
  let phase: "challenge" | "admitting" | "open" | "closed" = "challenge";
  const queued: string[] = [];

  const close = (code: number, reason: string) => {
    if (phase === "closed") return;
    phase = "closed";
    clearTimeout(timer);
    socket.close(code, reason);
    if (session) state.removeSession(session);
  };
  let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(() => {
    if (phase === "challenge" || phase === "admitting") {
      log.debug("handshake timeout", { ip: peer.remoteIp });
      close(1000, "");
    }
  }, options.handshakeTimeoutMs ?? HANDSHAKE_TIMEOUT_MS);

  socket.onclose = () => {
    if (phase === "closed") return;
    phase = "closed";
    clearTimeout(timer);
    if (session) state.removeSession(session);
  };
  socket.onmessage = (data) => {
    if (phase === "closed") return;
    if (typeof data !== "string") return close(1008, "invalid request frame");
    if (phase === "admitting") {
      if (queued.length >= MAX_PENDING_HANDSHAKE_FRAMES) {
        return close(1008, "too many pending handshake frames");
      }
      if (utf8Exceeds(data, MAX_PREAUTH_PAYLOAD_BYTES)) {
        return close(1009, "preauth payload too large");
      }
      queued.push(data);
      return;
    }
    if (phase === "challenge") return void onHandshakeFrame(data);
    onSessionFrame(data);
  };

  const sendRaw = (obj: unknown) => socket.send(JSON.stringify(obj));
  sendRaw({ type: "event", event: "connect.challenge", payload: challenge });

  async function onHandshakeFrame(data: string): Promise<void> {
    if (utf8Exceeds(data, MAX_PREAUTH_PAYLOAD_BYTES)) {
      return close(1009, "preauth payload too large");
    }
    const decoded = decodeFrame(data);
    if (!decoded.ok || decoded.frame.type !== "req") return close(1008, "invalid request frame");
    const frame = decoded.frame;
    const reject = (err: RpcError, code = 1008) => {
      sendRaw({ type: "res", id: frame.id, ok: false, error: err.toShape() });
      close(code, truncateReason(err.message));
    };
    if (frame.method !== "connect") {
      return reject(invalidRequest("invalid handshake: first request must be connect"));
    }
    const parsed = v.safeParse(ConnectParamsSchema, frame.params);
    if (!parsed.success) {
      return reject(invalidRequest(`invalid connect params: ${formatIssues(parsed.issues)}`));
    }
    phase = "admitting";
    try {
      const admitted = await admitConnect(state, parsed.output, {
        challenge: challenge!,
        peer,
        socket,
        methods: Object.keys(methods),
        devices,
      });
      if (phase !== "admitting") return; // closed meanwhile
      session = admitted.session;
      phase = "open";
      clearTimeout(timer);
      handshakeDone?.(session.maxPayloadBytes);
      timer = challenge = handshakeDone = undefined;
      sendRaw({ type: "res", id: frame.id, ok: true, payload: admitted.hello });
      state.addSession(session);
      log.info("client connected", {
        connId: session.connId,
        client: `${session.client.id}/${session.client.mode}`,
        role: session.role,
        ip: peer.remoteIp,
        device: session.deviceId?.slice(0, 12),
      });
      for (const q of queued.splice(0)) onSessionFrame(q);
    } catch (err) {
      if ((phase as string) === "closed") return;
      if (err instanceof HandshakeRejection) {
        log.info("connect refused", {
          ip: peer.remoteIp,
          code: err.error.detailCode ?? err.error.code,
          message: err.message,
        });
        return reject(err.error, err.closeCode);
      }
      log.error("connect failed", { error: (err as Error).message });
      return reject(new RpcError(ErrorCodes.UNAVAILABLE, (err as Error).message), 1011);
    }
  }

  function onSessionFrame(data: string): void {
    const s = session!;
    s.lastSeenAtMs = Date.now();
    if (utf8Exceeds(data, s.maxPayloadBytes)) return close(1009, "payload too large");
    const decoded = decodeFrame(data);
    if (!decoded.ok && decoded.reason === "budget") return close(1009, decoded.message);
    if (!decoded.ok) return close(1008, "invalid request frame");
    const frame = decoded.frame;
    if (frame.type !== "req") return; // clients may send nothing else; ignore stray res/event
    void dispatch(s, frame).then((reply) => {
      if (phase !== "open") return;
      s.sendResponse(
        frame.id,
        reply.ok,
        reply.ok ? { payload: reply.payload } : { error: reply.error },
      );
    });
  }

  async function dispatch(
    s: Session,
    frame: RequestFrame,
  ): Promise<{ ok: true; payload: unknown } | { ok: false; error: unknown }> {
    try {
      return { ok: true, payload: await invoke(s, frame) };
    } catch (err) {
      if (err instanceof RpcError) return { ok: false, error: err.toShape() };
      log.error("method failed", { method: frame.method, error: (err as Error).message });
      return {
        ok: false,
        error: new RpcError(ErrorCodes.UNAVAILABLE, (err as Error).message).toShape(),
      };
    }
  }

  async function invoke(s: Session, frame: RequestFrame): Promise<unknown> {
    const name = frame.method;
    if (name === "connect") throw invalidRequest("connect is only valid as the first request");
    // Own properties only: `constructor`, `toString`, `__proto__` are unknown methods too.
    const spec = Object.hasOwn(methods, name) ? methods[name] : undefined;
    if (!spec) throw invalidRequest(`unknown method: ${name}`);
    if (name !== "health") {
      const nodeOnly = NODE_ONLY_METHODS.has(name);
      if (nodeOnly && s.role !== "node") throw invalidRequest("unauthorized role: operator");
      if (!nodeOnly && s.role === "node") throw invalidRequest("unauthorized role: node");
      if (!nodeOnly) {
        const scope = requiredScope(name);
        if (scope && !hasScope(s.scopes, scope)) {
          throw new RpcError(ErrorCodes.FORBIDDEN, `missing scope: ${scope}`, {
            details: { code: "MISSING_SCOPE", missingScope: scope, requiredScopes: [scope] },
          });
        }
      }
    }
    let params: unknown = frame.params ?? {};
    if (spec.params) {
      const parsed = v.safeParse(spec.params, params);
      if (!parsed.success) {
        throw invalidRequest(`invalid ${name} params: ${formatIssues(parsed.issues)}`);
      }
      params = parsed.output;
    }
    return await spec.handler({ state, session: s, params: params as never, requestId: frame.id });
  }
}

/** Close reasons are limited to 123 bytes by RFC 6455; OpenClaw keeps ≤120. */
function truncateReason(reason: string): string {
  return utf8Length(reason) <= 120 ? reason : reason.slice(0, 117) + "...";
}
