/**
 * Builds the signed `connect.device` block: a v3 payload over the challenge, signed with the
 * device's Ed25519 key (`signedAt` = challenge `ts`, `nonce` = challenge nonce, token field =
 * the token actually sent).
 *
 * Source: `packages/gateway-client/src/device-auth.ts` (openclaw@2026.9.6), protocol.md §3.2.
 * @module
 */
import type { ConnectAuth, ConnectChallenge, DeviceProof } from "../protocol/mod.ts";
import { type DeviceIdentity, signPayload } from "./device_identity.ts";
import { buildDeviceAuthPayloadV3, signedTokenOf } from "./signature_payload.ts";

/** What the proof covers besides the challenge. */
export interface DeviceProofInput {
  clientId: string;
  clientMode: string;
  role: "operator" | "node";
  scopes: readonly string[];
  auth?: ConnectAuth;
  platform: string;
  deviceFamily?: string;
}

/**
 * Signs a device proof for one `connect`.
 *
 * @returns `{id, publicKey, signature, signedAt, nonce}` ready for `connect.params.device`.
 * @example
 * ```ts
 * import { generateDeviceIdentity } from "./device_identity.ts";
 * import { signDeviceProof } from "./device_proof.ts";
 * const id = await generateDeviceIdentity();
 * const proof = await signDeviceProof(id, { nonce: "n", ts: 1 }, {
 *   clientId: "cli", clientMode: "cli", role: "operator", scopes: [], platform: "linux",
 * });
 * console.assert(proof.signature.length === 86);
 * ```
 */
export async function signDeviceProof(
  identity: DeviceIdentity,
  challenge: ConnectChallenge,
  input: DeviceProofInput,
): Promise<DeviceProof> {
  const payload = buildDeviceAuthPayloadV3({
    deviceId: identity.deviceId,
    clientId: input.clientId,
    clientMode: input.clientMode,
    role: input.role,
    scopes: [...input.scopes],
    signedAtMs: challenge.ts,
    token: signedTokenOf(input.auth),
    nonce: challenge.nonce,
    platform: input.platform,
    deviceFamily: input.deviceFamily,
  });
  return {
    id: identity.deviceId,
    publicKey: identity.publicKey,
    signature: await signPayload(identity, payload),
    signedAt: challenge.ts,
    nonce: challenge.nonce,
  };
}
