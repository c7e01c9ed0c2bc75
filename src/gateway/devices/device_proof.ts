/**
 * Proof of `connect.device`: key encoding, id = SHA-256 of the key, |skew| ≤ 120 s, nonce equal
 * to the challenge's, and an Ed25519 signature over the v3 (then v2) payload.
 *
 * Source: `src/gateway/server/ws-connection/connect-device-proof.ts` (openclaw@2026.9.6),
 * protocol.md §2.3 step 7, §3.
 * @module
 */
import { ConnectErrorCodes, invalidRequest } from "../../protocol/mod.ts";
import {
  deviceIdFromPublicKey,
  publicKeyRawFromString,
  verifyDeviceSignature,
} from "../../identity/device_identity.ts";
import {
  buildDeviceAuthPayloadV2,
  buildDeviceAuthPayloadV3,
  signedTokenOf,
} from "../../identity/signature_payload.ts";
import { type DeviceAdmissionInput, HandshakeRejection } from "../handshake.ts";

/** Maximum |now − signedAt|, in milliseconds. */
export const DEVICE_SIGNATURE_SKEW_MS = 120_000;

function proofError(message: string, code: string, reason: string): HandshakeRejection {
  return new HandshakeRejection(invalidRequest(message, { code, reason }), 1008);
}

/**
 * Verifies the device proof of a `connect`.
 *
 * @returns The verified device id.
 * @throws {HandshakeRejection} `DEVICE_AUTH_*` with the upstream message and reason.
 */
export async function verifyDeviceProof(
  input: Pick<DeviceAdmissionInput, "params" | "role" | "challenge">,
  nowMs = Date.now(),
): Promise<string> {
  const { params, role, challenge } = input;
  const d = params.device!;
  const C = ConnectErrorCodes;
  if (publicKeyRawFromString(d.publicKey) === null) {
    throw proofError(
      "device public key invalid",
      C.DEVICE_AUTH_PUBLIC_KEY_INVALID,
      "device-public-key",
    );
  }
  const derived = await deviceIdFromPublicKey(d.publicKey);
  if (derived !== d.id) {
    throw proofError(
      "device identity mismatch",
      C.DEVICE_AUTH_DEVICE_ID_MISMATCH,
      "device-id-mismatch",
    );
  }
  if (Math.abs(nowMs - d.signedAt) > DEVICE_SIGNATURE_SKEW_MS) {
    throw proofError(
      "device signature expired",
      C.DEVICE_AUTH_SIGNATURE_EXPIRED,
      "device-signature-stale",
    );
  }
  if (!d.nonce || !d.nonce.trim()) {
    throw proofError("device nonce required", C.DEVICE_AUTH_NONCE_REQUIRED, "device-nonce-missing");
  }
  if (d.nonce !== challenge.nonce) {
    throw proofError(
      "device nonce mismatch",
      C.DEVICE_AUTH_NONCE_MISMATCH,
      "device-nonce-mismatch",
    );
  }
  const fields = {
    deviceId: d.id,
    clientId: params.client.id,
    clientMode: params.client.mode,
    role,
    scopes: params.scopes ?? [],
    signedAtMs: d.signedAt,
    token: signedTokenOf(params.auth),
    nonce: d.nonce,
    platform: params.client.platform,
    deviceFamily: params.client.deviceFamily,
  };
  const ok =
    await verifyDeviceSignature(d.publicKey, buildDeviceAuthPayloadV3(fields), d.signature) ||
    await verifyDeviceSignature(d.publicKey, buildDeviceAuthPayloadV2(fields), d.signature);
  if (!ok) {
    throw proofError(
      "device signature invalid",
      C.DEVICE_AUTH_SIGNATURE_INVALID,
      "device-signature",
    );
  }
  return d.id;
}
