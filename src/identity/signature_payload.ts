/**
 * The text a device signs in `connect.params.device.signature` (protocol.md §3.2; OpenClaw
 * `packages/gateway-client/src/device-auth.ts`). The gateway checks v3 first, then v2; the real
 * CLI and node host sign v3.
 *
 * - v3: `v3|deviceId|client.id|client.mode|role|scopes.join(",")|signedAt|token|nonce|platform|deviceFamily`
 * - v2: `v2|deviceId|client.id|client.mode|role|scopes.join(",")|signedAt|token|nonce`
 *
 * @example A node's v3 payload
 * ```ts
 * import { buildDeviceAuthPayloadV3 } from "./signature_payload.ts";
 * const p = buildDeviceAuthPayloadV3({
 *   deviceId: "ab12", clientId: "node-host", clientMode: "node", role: "node", scopes: [],
 *   signedAtMs: 1795385847364, token: "T", nonce: "n-1", platform: "linux", deviceFamily: "Linux",
 * });
 * console.assert(p === "v3|ab12|node-host|node|node||1795385847364|T|n-1|linux|linux");
 * ```
 * @module
 */

/** Inputs of a device-auth payload; field names follow OpenClaw's `buildDeviceAuthPayloadV3`. */
export interface DeviceAuthPayloadParams {
  /** `device.id`: hex SHA-256 of the raw public key. */
  deviceId: string;
  /** `client.id`, e.g. `node-host`, `cli`. */
  clientId: string;
  /** `client.mode`, e.g. `node`, `cli`, `backend`. */
  clientMode: string;
  /** Connection role. @default {"operator"} */
  role?: string;
  /** Requested scopes, joined with `,` in the order sent. */
  scopes: readonly string[];
  /** `device.signedAt`: epoch milliseconds (the challenge `ts` for the real clients). */
  signedAtMs: number;
  /** The token sent in `auth` (see {@link signedTokenOf}); `""` when none. */
  token?: string | null;
  /** The challenge nonce (`connect.challenge.payload.nonce`). */
  nonce: string;
  /** `client.platform`; trimmed and ASCII-lowercased (v3 only). */
  platform?: string | null;
  /** `client.deviceFamily`; trimmed and ASCII-lowercased (v3 only). */
  deviceFamily?: string | null;
}

/** The `auth` fields that can be signed. The password is never part of the payload. */
export interface SignableAuth {
  token?: string | null;
  deviceToken?: string | null;
  bootstrapToken?: string | null;
}

/**
 * The token that goes into the payload: `auth.token ?? auth.deviceToken ?? auth.bootstrapToken ?? ""`.
 * Note `??` semantics: an empty-string `token` wins over a `deviceToken`, exactly as in OpenClaw.
 *
 * @param auth `connect.params.auth`, or nothing.
 * @returns The token text to sign (`""` when there is none).
 */
export function signedTokenOf(auth?: SignableAuth | null): string {
  return auth?.token ?? auth?.deviceToken ?? auth?.bootstrapToken ?? "";
}

/**
 * Normalize `platform` / `deviceFamily` for signing: trim, then lowercase ASCII `A`–`Z` only
 * (non-ASCII letters are kept as is). Non-strings become `""`.
 *
 * @param value The raw metadata value.
 * @returns The normalized text.
 */
export function normalizeDeviceMetadata(value: unknown): string {
  if (typeof value !== "string") return "";
  return value.trim().replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/**
 * Build the v3 payload (the one the real OpenClaw clients sign).
 *
 * @param p The payload fields.
 * @returns `v3|deviceId|clientId|clientMode|role|scopes|signedAtMs|token|nonce|platform|deviceFamily`.
 */
export function buildDeviceAuthPayloadV3(p: DeviceAuthPayloadParams): string {
  return [
    ...commonFields("v3", p),
    normalizeDeviceMetadata(p.platform),
    normalizeDeviceMetadata(p.deviceFamily),
  ].join("|");
}

/**
 * Build the legacy v2 payload (accepted by the gateway as a fallback after v3).
 *
 * @param p The payload fields; `platform` and `deviceFamily` are ignored.
 * @returns `v2|deviceId|clientId|clientMode|role|scopes|signedAtMs|token|nonce`.
 */
export function buildDeviceAuthPayloadV2(p: DeviceAuthPayloadParams): string {
  return commonFields("v2", p).join("|");
}

function commonFields(version: string, p: DeviceAuthPayloadParams): string[] {
  return [
    version,
    p.deviceId,
    p.clientId,
    p.clientMode,
    p.role ?? "operator",
    p.scopes.join(","),
    String(p.signedAtMs),
    p.token ?? "",
    p.nonce,
  ];
}
