/**
 * Base64 / base64url codecs for key material and signatures.
 *
 * OpenClaw puts raw Ed25519 keys and signatures on the wire as **base64url without padding**
 * (protocol.md §3.1) but its server also accepts standard base64, so the decoder here takes
 * either alphabet, with or without `=` padding, and rejects anything else.
 *
 * @example Round trip
 * ```ts
 * import { decodeBase64, encodeBase64Url } from "./base64url.ts";
 * const text = encodeBase64Url(new Uint8Array([251, 255]));
 * console.assert(text === "-_8" && decodeBase64(text)[0] === 251);
 * ```
 * @module
 */

const STRICT_BODY = /^[A-Za-z0-9+/_-]*$/;

/**
 * Encode bytes as standard base64 (RFC 4648 §4) with `=` padding.
 *
 * @param bytes The bytes to encode.
 * @returns The padded standard-base64 text.
 */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/**
 * Encode bytes as base64url (RFC 4648 §5) **without padding**, the OpenClaw wire form for
 * public keys and signatures.
 *
 * @param bytes The bytes to encode.
 * @returns The unpadded base64url text.
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  return encodeBase64(bytes).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * Decode standard base64 or base64url text, padded or not. Mixed alphabets are tolerated (as
 * the OpenClaw server does); whitespace and other characters are not.
 *
 * @param text The encoded text.
 * @returns The decoded bytes.
 * @throws {SyntaxError} When `text` contains characters outside both alphabets, has misplaced
 *   padding, or has an impossible length (`length % 4 === 1`).
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const body = text.replace(/={1,2}$/, "");
  if (!STRICT_BODY.test(body)) {
    throw new SyntaxError(
      "invalid base64: unexpected character; expected base64 or base64url text",
    );
  }
  if (body.length % 4 === 1) {
    throw new SyntaxError(`invalid base64: length ${body.length} cannot encode whole bytes`);
  }
  if (body.length !== text.length && (text.length % 4 !== 0)) {
    throw new SyntaxError("invalid base64: padding does not match the length");
  }
  const standard = body.replaceAll("-", "+").replaceAll("_", "/");
  const padded = standard + "=".repeat((4 - (standard.length % 4)) % 4);
  const binary = atob(padded);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * Encode bytes as lowercase hexadecimal.
 *
 * @param bytes The bytes to encode.
 * @returns Two lowercase hex digits per byte.
 */
export function encodeHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}
