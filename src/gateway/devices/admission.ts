/**
 * Device admission: after the device proof (`device_proof.ts`), device pairing (silent on
 * direct loopback, otherwise `PAIRING_REQUIRED` with a request id), device tokens per
 * (device, role), and the node command-surface reconciliation run on each node connect.
 *
 * Source: `src/gateway/server/ws-connection/{connect-device-pairing,
 * connect-device-tokens,connect-existing-device}.ts`, `src/gateway/node-connect-reconcile.ts`
 * (openclaw@2026.9.6), protocol.md §2.3 step 7, §3.
 * @module
 */
import {
  ConnectErrorCodes,
  ErrorCodes,
  type ErrorShape,
  invalidRequest,
  RpcError,
} from "../../protocol/mod.ts";
import { safeEqualSecret } from "../auth.ts";
import {
  type DeviceAdmission,
  type DeviceAdmissionInput,
  type DeviceAdmissionResult,
  HandshakeRejection,
} from "../handshake.ts";
import type { GatewayState } from "../state.ts";
import type { NodeRegistry } from "../nodes/registry.ts";
import { isLocalControlUi } from "../../ui/local_control_ui.ts";
import { verifyDeviceProof } from "./device_proof.ts";
import {
  type DevicePairRequest,
  type DeviceTokenEntry,
  newDeviceToken,
  type PairedDevice,
  type PairingStore,
} from "./store.ts";

export { DEVICE_SIGNATURE_SKEW_MS, verifyDeviceProof } from "./device_proof.ts";

/**
 * `NOT_PAIRED "pairing required: device is not approved yet"`. The connection closes with the
 * error's `message`, which upstream extends with the request id; the wire `message` stays the
 * short text.
 */
class PairingRequiredError extends RpcError {
  override toShape(): ErrorShape {
    return { ...super.toShape(), message: PAIRING_REQUIRED_MESSAGE };
  }
}
const PAIRING_REQUIRED_MESSAGE = "pairing required: device is not approved yet";

function pairingRequired(requestId: string, deviceId: string, role: string): RpcError {
  return new PairingRequiredError(
    ErrorCodes.NOT_PAIRED,
    `${PAIRING_REQUIRED_MESSAGE} (requestId: ${requestId})`,
    {
      details: {
        code: ConnectErrorCodes.PAIRING_REQUIRED,
        reason: "not-paired",
        requestId,
        remediationHint: "Approve this device from the pending pairing requests.",
        deviceId,
        requestedRole: role,
      },
    },
  );
}

function deviceTokenMismatch(): HandshakeRejection {
  return new HandshakeRejection(
    invalidRequest("unauthorized: device token mismatch (rotate/reissue device token)", {
      code: ConnectErrorCodes.AUTH_DEVICE_TOKEN_MISMATCH,
      authReason: "device_token_mismatch",
      canRetryWithDeviceToken: false,
      recommendedNextStep: "update_auth_credentials",
    }),
    1008,
  );
}

/** The device admission of this gateway, backed by a {@linkcode PairingStore}. */
export class StoreDeviceAdmission implements DeviceAdmission {
  readonly store: PairingStore;
  readonly nodes: NodeRegistry;

  constructor(store: PairingStore, nodes: NodeRegistry) {
    this.store = store;
    this.nodes = nodes;
  }

  async admit(state: GatewayState, input: DeviceAdmissionInput): Promise<DeviceAdmissionResult> {
    const { params, role, peer } = input;
    const deviceId = await verifyDeviceProof(input);
    const d = params.device!;
    const requestedScopes = role === "node" ? [] : [...(params.scopes ?? [])];
    let paired = this.store.device(deviceId);
    if (paired && paired.publicKey !== d.publicKey) paired = undefined;

    // Device-token authentication (only when no valid shared secret was presented).
    let tokenAuthed = false;
    const presented = params.auth?.deviceToken;
    if (!input.sharedSecretOk) {
      try {
        state.authCheck(peer, "device-token");
      } catch (err) {
        throw new HandshakeRejection(err as RpcError);
      }
      const entry = paired?.tokens.find((t) => t.role === role);
      if (!presented || !entry || !safeEqualSecret(presented, entry.token)) {
        await state.authFailed(peer, "device-token");
        throw deviceTokenMismatch();
      }
      state.authSucceeded(peer, "device-token");
      tokenAuthed = true;
    }

    const meta = {
      deviceId,
      publicKey: d.publicKey,
      displayName: params.client.displayName,
      platform: params.client.platform,
      deviceFamily: params.client.deviceFamily,
      clientId: params.client.id,
      clientMode: params.client.mode,
      // As upstream: the source address is recorded for remote requests only.
      remoteIp: peer.isLocal ? undefined : peer.remoteIp,
    };
    const now = Date.now();
    const roleOk = !!paired && paired.roles.includes(role);
    const scopesOk = !!paired && requestedScopes.every((s) => paired!.scopes.includes(s));
    const needsPairing = !paired || !roleOk || (role === "operator" && !scopesOk && !tokenAuthed);
    if (needsPairing) {
      const local = peer.isLocal || isLocalControlUi(state, params, peer);
      const silent = local && input.sharedSecretOk && state.info.autoApproveLocal;
      if (!silent) {
        const req = this.#pendingRequest(state, meta, role, requestedScopes, !!paired);
        throw new HandshakeRejection(pairingRequired(req.requestId, deviceId, role), 1008);
      }
      paired = this.approve(meta, role, requestedScopes, "silent", paired);
      state.logger.info("device pairing auto-approved", {
        device: deviceId.slice(0, 12),
        role,
        approvedVia: "silent",
      });
    }
    const dev = paired!;
    dev.lastSeenAtMs = now;
    let issued = false;
    let token = dev.tokens.find((t) => t.role === role);
    if (!token) {
      token = this.issueToken(dev, role);
      issued = true;
    }
    if (role === "node") this.nodes.reconcileSurface(state, params, deviceId, peer.isLocal);
    // Only a token for a device paired earlier (by an owner) must be on disk before hello-ok
    // hands it out. All else a connect changes, its next connect makes again should the gateway
    // die before the shared lazy write lands: a silent pairing (it presented the shared secret),
    // a surface request, last-seen times. A connect storm of N new devices then costs a few
    // writes of the store, not one per batch of handshakes (issue 8).
    if (issued && !needsPairing) await this.store.save();
    else this.store.saveSoon();
    return {
      deviceId,
      scopes: role === "operator" ? [...dev.scopes] : undefined,
      authMethod: tokenAuthed ? "device-token" : undefined,
      deviceToken: token.token,
      issuedAtMs: token.createdAtMs,
    };
  }

  /**
   * Approves (or extends) a device pairing in memory; the caller saves.
   *
   * @returns The paired record.
   */
  approve(
    meta: Omit<
      PairedDevice,
      "role" | "roles" | "scopes" | "approvedVia" | "createdAtMs" | "approvedAtMs" | "tokens"
    >,
    role: string,
    scopes: string[],
    via: "silent" | "owner",
    existing?: PairedDevice,
  ): PairedDevice {
    const now = Date.now();
    const list = this.store.devices.paired;
    const prev = existing ?? this.store.device(meta.deviceId);
    const rec: PairedDevice = {
      ...(prev ?? {}),
      ...stripUndefined(meta),
      role: prev?.role ?? role,
      roles: [...new Set([...(prev?.roles ?? []), role])],
      scopes: [...new Set([...(prev?.scopes ?? []), ...scopes])],
      approvedVia: via,
      createdAtMs: prev?.createdAtMs ?? now,
      approvedAtMs: now,
      tokens: prev?.publicKey === meta.publicKey ? prev.tokens : [],
    };
    const i = this.store.devicePosition(meta.deviceId);
    if (i >= 0) list[i] = rec;
    else list.push(rec);
    if (this.store.devices.pending.length) {
      this.store.devices.pending = this.store.devices.pending.filter((p) =>
        !(p.deviceId === meta.deviceId && rec.roles.includes(p.role) &&
          p.scopes.every((s) => rec.scopes.includes(s)))
      );
    }
    return rec;
  }

  /** Issues (and records) a device token for a role. */
  issueToken(dev: PairedDevice, role: string): DeviceTokenEntry {
    const entry: DeviceTokenEntry = {
      role,
      scopes: role === "node" ? [] : [...dev.scopes],
      token: newDeviceToken(),
      createdAtMs: Date.now(),
    };
    dev.tokens = [...dev.tokens.filter((t) => t.role !== role), entry];
    return entry;
  }

  #pendingRequest(
    state: GatewayState,
    meta: DevicePairRequest extends infer R
      ? Omit<R, "requestId" | "role" | "roles" | "scopes" | "silent" | "isRepair" | "ts">
      : never,
    role: string,
    scopes: string[],
    isRepair: boolean,
  ): DevicePairRequest {
    const pending = this.store.devices.pending;
    const same = pending.find((p) =>
      p.deviceId === meta.deviceId && p.role === role &&
      scopes.every((s) => p.scopes.includes(s)) && p.publicKey === meta.publicKey
    );
    if (same) return same;
    const req: DevicePairRequest = {
      requestId: crypto.randomUUID(),
      ...stripUndefined(meta),
      role,
      roles: [role],
      scopes,
      silent: false,
      isRepair,
      ts: Date.now(),
    };
    this.store.devices.pending = pending.filter((p) =>
      !(p.deviceId === meta.deviceId && p.role === role)
    );
    this.store.devices.pending.push(req);
    void this.store.save();
    state.broadcast("device.pair.requested", req);
    return req;
  }
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
