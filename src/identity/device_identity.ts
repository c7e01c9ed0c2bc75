/**
 * Ed25519 device identity: key generation, signing and verification, wire-compatible with
 * OpenClaw's `src/infra/device-identity.ts` / `ed25519-signature.ts` (protocol.md §3.1).
 *
 * - `publicKey` on the wire = the raw 32-byte key, base64url without padding (43 chars).
 * - `device.id` = lowercase hex SHA-256 of those 32 raw bytes (64 chars).
 * - signatures = base64url (no padding) of the 64-byte Ed25519 signature over UTF-8 text.
 *
 * Uses WebCrypto only. Private keys are stored as PKCS#8 DER in standard base64.
 *
 * @example Sign and verify
 * ```ts
 * import { generateDeviceIdentity, signPayload, verifyDeviceSignature } from "./device_identity.ts";
 * const id = await generateDeviceIdentity();
 * const sig = await signPayload(id, "v3|…");
 * console.assert(await verifyDeviceSignature(id.publicKey, "v3|…", sig));
 * ```
 * @module
 */
import { decodeBase64, encodeBase64, encodeBase64Url, encodeHex } from "./base64url.ts";

/** Length of a raw Ed25519 public key, in bytes. */
export const ED25519_PUBLIC_KEY_BYTES = 32;

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (`302a300506032b6570032100` + 32 key bytes). */
const SPKI_PREFIX = new Uint8Array([
  0x30,
  0x2a,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x03,
  0x21,
  0x00,
]);

const ED25519 = { name: "Ed25519" } as const;

/** A usable device identity: the signing key plus its public forms. */
export interface DeviceIdentity {
  /** Lowercase hex SHA-256 of {@link DeviceIdentity.publicKeyRaw} (64 chars). */
  readonly deviceId: string;
  /** Raw public key, base64url without padding (43 chars): the `device.publicKey` wire value. */
  readonly publicKey: string;
  /** Raw 32-byte public key. */
  readonly publicKeyRaw: Uint8Array<ArrayBuffer>;
  /** Extractable Ed25519 private key, usage `sign`. */
  readonly privateKey: CryptoKey;
}

/**
 * Create a fresh Ed25519 device identity.
 *
 * @returns A new identity; nothing is persisted (see `identity_store.ts`).
 * @throws {Error} When the runtime's WebCrypto lacks Ed25519 support.
 */
export async function generateDeviceIdentity(): Promise<DeviceIdentity> {
  const pair = await crypto.subtle.generateKey(ED25519, true, ["sign", "verify"]) as CryptoKeyPair;
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  return {
    deviceId: await deviceIdFromRaw(raw),
    publicKey: encodeBase64Url(raw),
    publicKeyRaw: raw,
    privateKey: pair.privateKey,
  };
}

/**
 * Sign UTF-8 text (normally a `v3|…` device-auth payload) with the identity's private key.
 *
 * @param identity The signing identity.
 * @param text The exact payload string; it is UTF-8 encoded before signing.
 * @returns The 64-byte signature, base64url without padding (86 chars).
 */
export async function signPayload(identity: DeviceIdentity, text: string): Promise<string> {
  const sig = await crypto.subtle.sign(
    ED25519,
    identity.privateKey,
    new TextEncoder().encode(text),
  );
  return encodeBase64Url(new Uint8Array(sig));
}

/**
 * Verify a device signature the way the OpenClaw gateway does. Never throws: any malformed
 * key, signature or encoding yields `false`.
 *
 * @param publicKey Raw key as base64url or standard base64, or an Ed25519 `PUBLIC KEY` PEM (SPKI).
 * @param payload The payload text that was signed.
 * @param signature The signature, base64url or standard base64.
 * @returns `true` only when the signature is a valid Ed25519 signature of `payload` by `publicKey`.
 */
export async function verifyDeviceSignature(
  publicKey: string,
  payload: string,
  signature: string,
): Promise<boolean> {
  try {
    const raw = publicKeyRawFromString(publicKey);
    if (raw === null || signature.length > 4096) return false;
    const sig = decodeBase64(signature);
    if (sig.length !== 64) return false;
    const key = await crypto.subtle.importKey("raw", raw, ED25519, false, ["verify"]);
    return await crypto.subtle.verify(ED25519, key, sig, new TextEncoder().encode(payload));
  } catch {
    return false;
  }
}

/**
 * Parse a public key string into its raw 32 bytes. Accepts what the OpenClaw server accepts:
 * raw key as base64url (canonical wire form) or standard base64, or a PEM `PUBLIC KEY` (SPKI).
 *
 * @param text The key text.
 * @returns The raw 32-byte key, or `null` when `text` is not an Ed25519 public key.
 */
export function publicKeyRawFromString(text: string): Uint8Array<ArrayBuffer> | null {
  if (typeof text !== "string" || text.length === 0 || text.length > 4096) return null;
  try {
    if (text.includes("BEGIN")) return rawFromPem(text);
    const raw = decodeBase64(text.trim());
    return raw.length === ED25519_PUBLIC_KEY_BYTES ? raw : null;
  } catch {
    return null;
  }
}

/**
 * Compute the device id for a public key: lowercase hex SHA-256 of the raw 32 bytes.
 *
 * @param publicKey Raw key as base64url/base64, or a PEM `PUBLIC KEY`.
 * @returns The 64-char lowercase hex device id.
 * @throws {TypeError} When `publicKey` is not an Ed25519 public key.
 */
export async function deviceIdFromPublicKey(publicKey: string): Promise<string> {
  const raw = publicKeyRawFromString(publicKey);
  if (raw === null) {
    throw new TypeError(
      "cannot derive a device id: the public key is not a 32-byte Ed25519 key " +
        "(expected base64url, base64 or a PEM PUBLIC KEY)",
    );
  }
  return await deviceIdFromRaw(raw);
}

/**
 * Encode a raw Ed25519 public key as a PEM `PUBLIC KEY` (SPKI DER, 64-char lines), the form
 * OpenClaw keeps in its own state database.
 *
 * @param raw The raw 32-byte key.
 * @returns PEM text ending in a newline.
 * @throws {RangeError} When `raw` is not 32 bytes long.
 */
export function publicKeyPemFromRaw(raw: Uint8Array): string {
  if (raw.length !== ED25519_PUBLIC_KEY_BYTES) {
    throw new RangeError(`Ed25519 public key must be 32 bytes, got ${raw.length}`);
  }
  const der = new Uint8Array(SPKI_PREFIX.length + raw.length);
  der.set(SPKI_PREFIX);
  der.set(raw, SPKI_PREFIX.length);
  const lines = encodeBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join("\n")}\n-----END PUBLIC KEY-----\n`;
}

/**
 * Export the private key as PKCS#8 DER in standard base64, for storage.
 *
 * @param identity The identity whose (extractable) private key to export.
 * @returns Standard base64 of the PKCS#8 DER (64 chars for Ed25519).
 * @throws {DOMException} When the private key is not extractable.
 */
export async function exportPrivateKeyPkcs8(identity: DeviceIdentity): Promise<string> {
  const der = await crypto.subtle.exportKey("pkcs8", identity.privateKey);
  return encodeBase64(new Uint8Array(der));
}

/**
 * Rebuild an identity from stored key material, checking that the private key really belongs
 * to the public key.
 *
 * @param stored `publicKey` (raw key, base64url/base64 or PEM) and `privateKeyPkcs8` (base64 DER).
 * @returns The identity, with `deviceId` recomputed from the public key.
 * @throws {TypeError} When either key cannot be decoded or imported, or the two keys do not match.
 */
export async function importDeviceIdentity(
  stored: { publicKey: string; privateKeyPkcs8: string },
): Promise<DeviceIdentity> {
  const raw = publicKeyRawFromString(stored.publicKey);
  if (raw === null) throw new TypeError("stored publicKey is not a 32-byte Ed25519 key");
  let privateKey: CryptoKey;
  try {
    privateKey = await crypto.subtle.importKey(
      "pkcs8",
      decodeBase64(stored.privateKeyPkcs8),
      ED25519,
      true,
      ["sign"],
    );
  } catch (err) {
    throw new TypeError(`stored privateKeyPkcs8 is not an Ed25519 PKCS#8 key: ${errText(err)}`);
  }
  const jwk = await crypto.subtle.exportKey("jwk", privateKey);
  if (jwk.x !== encodeBase64Url(raw)) {
    throw new TypeError("stored privateKeyPkcs8 does not belong to the stored publicKey");
  }
  return {
    deviceId: await deviceIdFromRaw(raw),
    publicKey: encodeBase64Url(raw),
    publicKeyRaw: raw,
    privateKey,
  };
}

async function deviceIdFromRaw(raw: Uint8Array<ArrayBuffer>): Promise<string> {
  return encodeHex(new Uint8Array(await crypto.subtle.digest("SHA-256", raw)));
}

function rawFromPem(pem: string): Uint8Array<ArrayBuffer> | null {
  const m = /-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----/.exec(pem);
  if (!m) return null;
  const der = decodeBase64(m[1].replace(/\s+/g, ""));
  if (der.length !== SPKI_PREFIX.length + ED25519_PUBLIC_KEY_BYTES) return null;
  if (!SPKI_PREFIX.every((b, i) => der[i] === b)) return null;
  return der.slice(SPKI_PREFIX.length);
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
