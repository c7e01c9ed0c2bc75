/**
 * Admission of a `connect` request, in the order of OpenClaw's pipeline (protocol.md §2.3):
 * protocol range → role → shared secret → device proof and pairing (via {@linkcode DeviceAdmission})
 * → scopes → `hello-ok`.
 *
 * Source: `src/gateway/server/ws-connection/{connect-admission,connect-policy,connect-hello}.ts`
 * (openclaw@2026.9.6).
 * @module
 */
import {
  type ConnectChallenge,
  ConnectErrorCodes,
  type ConnectParams,
  ErrorCodes,
  GATEWAY_EVENTS,
  type HelloOk,
  invalidRequest,
  MAX_BUFFERED_BYTES,
  MAX_PAYLOAD_BYTES,
  MAX_PREAUTH_PAYLOAD_BYTES,
  MIN_NODE_PROTOCOL_VERSION,
  MIN_PROBE_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  RpcError,
  Scopes,
} from "../protocol/mod.ts";
import type { WebSocketLike } from "../transport/websocket_like.ts";
import { VERSION } from "../version.ts";
import { checkSharedSecret } from "./auth.ts";
import { isLoopbackHost } from "./bind.ts";
import { checkBrowserOrigin, ORIGIN_NOT_ALLOWED_MESSAGE } from "./origin_check.ts";
import { healthSnapshot } from "./methods/health.ts";
import { CONTROL_UI_CLIENT_ID } from "../ui/local_control_ui.ts";
import { presenceVisibleTo } from "./presence.ts";
import { type PeerInfo, Session } from "./session.ts";
import type { GatewayState } from "./state.ts";

/** A refused handshake: the error to answer and how to close. */
export class HandshakeRejection extends Error {
  readonly error: RpcError;
  readonly closeCode: number;
  constructor(error: RpcError, closeCode = 1008) {
    super(error.message);
    this.error = error;
    this.closeCode = closeCode;
  }
}

/** Input to a {@linkcode DeviceAdmission}. */
export interface DeviceAdmissionInput {
  params: ConnectParams;
  role: "operator" | "node";
  challenge: ConnectChallenge;
  peer: PeerInfo;
  /** Whether the shared secret (token/password, or auth mode none) was valid. */
  sharedSecretOk: boolean;
}

/** What device admission decided. */
export interface DeviceAdmissionResult {
  deviceId: string;
  /** Scopes approved for this device (operators); replaces the requested scopes when set. */
  scopes?: string[];
  /** `device-token` when the device token authenticated the session. */
  authMethod?: "device-token";
  deviceToken?: string;
  issuedAtMs?: number;
}

/**
 * Verifies `connect.device` (signature, nonce, skew), pairing and device tokens. Implemented
 * in the device module; the core handshake only calls it.
 */
export interface DeviceAdmission {
  /**
   * @throws {HandshakeRejection} Bad proof (`DEVICE_AUTH_*`), pairing required, bad device token.
   */
  admit(state: GatewayState, input: DeviceAdmissionInput): Promise<DeviceAdmissionResult>;
}

function protocolAccepted(p: ConnectParams, role: string): boolean {
  const { minProtocol: min, maxProtocol: max } = p;
  if (min <= PROTOCOL_VERSION && PROTOCOL_VERSION <= max) return true;
  if (p.client.mode === "probe" && max >= MIN_PROBE_PROTOCOL_VERSION && min <= PROTOCOL_VERSION) {
    return true;
  }
  return role === "node" && p.client.mode === "node" && min <= MIN_NODE_PROTOCOL_VERSION &&
    MIN_NODE_PROTOCOL_VERSION <= max;
}

/**
 * Largest frame a session may send, in bytes: OpenClaw's 25 MiB after hello for nodes (invoke
 * results carry command output) and for operators that may do more than read; operators with
 * no scope or only `operator.read` keep the pre-auth 64 KiB, since every method they may call
 * takes small params (a no-scope session may only call `health`).
 *
 * Source: `MAX_PAYLOAD_BYTES` / `MAX_PREAUTH_PAYLOAD_BYTES`, `src/gateway/server-constants.ts`
 * (openclaw@2026.9.6); the read-only reduction is clawgate's (issue 11 item 6).
 */
export function sessionMaxPayload(role: "operator" | "node", scopes: readonly string[]): number {
  if (role === "node" || scopes.some((s) => s !== Scopes.READ)) return MAX_PAYLOAD_BYTES;
  return MAX_PREAUTH_PAYLOAD_BYTES;
}

/** Device-less operators keep scopes only as `cli/cli` or `gateway-client/backend` on direct loopback. */
function keepsScopesWithoutDevice(p: ConnectParams, peer: PeerInfo): boolean {
  if (!peer.isLocal) return false;
  const { id, mode } = p.client;
  return (id === "cli" && mode === "cli") || (id === "gateway-client" && mode === "backend");
}

/**
 * Admits a `connect` and builds the session and `hello-ok`.
 *
 * @throws {HandshakeRejection} With the exact error and close code to send.
 */
export async function admitConnect(
  state: GatewayState,
  params: ConnectParams,
  ctx: {
    challenge: ConnectChallenge;
    peer: PeerInfo;
    socket: WebSocketLike;
    methods: string[];
    devices?: DeviceAdmission;
  },
): Promise<{ session: Session; hello: HelloOk }> {
  const roleRaw = params.role ?? "operator";
  if (!protocolAccepted(params, roleRaw)) {
    throw new HandshakeRejection(
      invalidRequest("protocol mismatch", {
        code: ConnectErrorCodes.PROTOCOL_MISMATCH,
        clientMinProtocol: params.minProtocol,
        clientMaxProtocol: params.maxProtocol,
        expectedProtocol: PROTOCOL_VERSION,
        minimumProbeProtocol: MIN_PROBE_PROTOCOL_VERSION,
      }),
      1002,
    );
  }
  if (roleRaw !== "operator" && roleRaw !== "node") {
    throw new HandshakeRejection(invalidRequest("invalid role"));
  }
  const role = roleRaw;
  if (ctx.peer.browserOrigin) {
    const allowed = state.loaded.config.gateway?.controlUi?.allowedOrigins;
    const loopback = isLoopbackHost(ctx.peer.remoteIp);
    const check = checkBrowserOrigin(ctx.peer.browserOrigin, allowed, loopback);
    if (!check.ok) {
      throw new HandshakeRejection(
        invalidRequest(ORIGIN_NOT_ALLOWED_MESSAGE, {
          code: ConnectErrorCodes.CONTROL_UI_ORIGIN_NOT_ALLOWED,
          reason: check.reason,
        }),
      );
    }
  }
  if (params.client.mode === "worker" || params.client.id === "openclaw-worker") {
    throw new HandshakeRejection(invalidRequest("invalid-handshake"));
  }

  // One limiter for every client (browser pages keyed by origin, never exempt): a locked-out
  // peer is refused before any secret is compared, so concurrent guesses cannot race past it.
  try {
    state.authCheck(ctx.peer, "shared-secret");
  } catch (err) {
    throw new HandshakeRejection(err as RpcError);
  }
  const secret = checkSharedSecret(params.auth, state.info.auth, params.client.id);
  const hasDeviceToken = !!params.auth?.deviceToken && !!params.device;
  if (!secret.ok && !(hasDeviceToken && !secret.provided)) {
    // Only wrong secrets count; a missing one costs nothing (as upstream).
    if (secret.provided) await state.authFailed(ctx.peer, "shared-secret");
    throw new HandshakeRejection(secret.error);
  }
  if (secret.ok && secret.method !== "none") state.authSucceeded(ctx.peer, "shared-secret");

  let scopes = role === "node" ? [] : [...(params.scopes ?? [])];
  let device: DeviceAdmissionResult | undefined;
  if (params.device) {
    if (!ctx.devices) {
      throw new HandshakeRejection(
        new RpcError(ErrorCodes.NOT_PAIRED, "device pairing is not available on this gateway"),
      );
    }
    device = await ctx.devices.admit(state, {
      params,
      role,
      challenge: ctx.challenge,
      peer: ctx.peer,
      sharedSecretOk: secret.ok,
    });
    if (device.scopes && role === "operator") {
      scopes = scopes.filter((s) => device!.scopes!.includes(s));
    }
  } else {
    if (params.client.id === CONTROL_UI_CLIENT_ID) {
      // As upstream (`connect-policy.ts`): a browser is an operator device, never token-only.
      throw new HandshakeRejection(
        invalidRequest(
          "control ui requires device identity (use HTTPS or localhost secure context)",
          { code: ConnectErrorCodes.CONTROL_UI_DEVICE_IDENTITY_REQUIRED },
        ),
      );
    }
    if (role === "node" || !secret.ok) {
      throw new HandshakeRejection(
        new RpcError(ErrorCodes.NOT_PAIRED, "device identity required", {
          details: { code: ConnectErrorCodes.DEVICE_IDENTITY_REQUIRED },
        }),
      );
    }
    if (!keepsScopesWithoutDevice(params, ctx.peer)) scopes = [];
  }

  const connId = crypto.randomUUID();
  const maxPayloadBytes = sessionMaxPayload(role, scopes);
  const session = new Session({
    maxPayloadBytes,
    connId,
    role,
    scopes,
    client: params.client,
    peer: ctx.peer,
    deviceId: device?.deviceId,
    caps: params.caps,
    commands: params.commands,
    socket: ctx.socket,
  });
  const authMethod = device?.authMethod ?? (secret.ok ? secret.method : "device-token");
  const hello: HelloOk = {
    type: "hello-ok",
    protocol: PROTOCOL_VERSION,
    server: { version: VERSION, connId, bootId: state.bootId },
    features: { methods: ctx.methods, events: [...GATEWAY_EVENTS] },
    snapshot: {
      presence: presenceVisibleTo({ role, scopes }, () => state.presence()),
      health: healthSnapshot(state),
      stateVersion: { ...state.stateVersion },
      uptimeMs: state.uptimeMs,
      authMode: state.info.auth.mode,
    },
    auth: {
      role,
      scopes,
      method: authMethod,
      ...(device?.deviceToken
        ? { deviceToken: device.deviceToken, issuedAtMs: device.issuedAtMs }
        : {}),
    },
    policy: {
      maxPayload: maxPayloadBytes,
      maxBufferedBytes: MAX_BUFFERED_BYTES,
      tickIntervalMs: state.info.tickIntervalMs,
    },
  };
  return { session, hello };
}
