/**
 * Gateway TLS material: reads the PEM certificate and key `gateway run` serves `wss://` and
 * `https://` with (`gateway.tls.certPath`/`keyPath`, `--tls-cert`/`--tls-key`), and computes the
 * certificate's SHA-256 fingerprint that clients pin (`gateway.remote.tlsFingerprint`,
 * protocol.md §8).
 * @module
 */

/** PEM text for `Deno.serve({cert, key})` plus the leaf certificate's fingerprint. */
export interface GatewayTls {
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
  /** SHA-256 of the first certificate's DER, 64 lowercase hex characters. */
  fingerprint: string;
}

const CERT_RE = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/;

/**
 * Decodes the first `CERTIFICATE` block of a PEM text to DER.
 *
 * @param pem PEM text; a chain is fine, the first (leaf) block is used.
 * @returns The DER bytes.
 * @throws {SyntaxError} No certificate block, or its body is not base64.
 */
export function pemCertificateToDer(pem: string): Uint8Array<ArrayBuffer> {
  const m = CERT_RE.exec(pem);
  if (!m) throw new SyntaxError("no -----BEGIN CERTIFICATE----- block");
  const body = m[1].replace(/\s+/g, "");
  let bin: string;
  try {
    bin = atob(body);
  } catch {
    throw new SyntaxError("certificate block is not valid base64");
  }
  if (bin.length === 0) throw new SyntaxError("certificate block is empty");
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * SHA-256 fingerprint of a PEM certificate (the DER bytes), as pinned by clients.
 *
 * @param pem PEM text with at least one `CERTIFICATE` block.
 * @returns 64 lowercase hex characters.
 * @throws {SyntaxError} See {@linkcode pemCertificateToDer}.
 *
 * @example
 * ```ts ignore
 * import { pemCertificateFingerprint } from "./tls.ts";
 * const hex = await pemCertificateFingerprint(await Deno.readTextFile("cert.pem"));
 * ```
 */
export async function pemCertificateFingerprint(pem: string): Promise<string> {
  const der = pemCertificateToDer(pem);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", der));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Formats a 64-hex fingerprint the way `openssl x509 -fingerprint -sha256` and Node's
 * `fingerprint256` print it (`AB:CD:…`); both forms are accepted as pins.
 *
 * @example
 * ```ts
 * import { colonFingerprint } from "./tls.ts";
 * console.assert(colonFingerprint("ab".repeat(32)).startsWith("AB:AB:"));
 * ```
 */
export function colonFingerprint(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(":");
}

/**
 * Reads and checks the certificate and key files.
 *
 * @param paths Absolute or cwd-relative file paths.
 * @returns The PEM texts and the certificate fingerprint.
 * @throws {Error} A message naming the file that is missing, unreadable or not PEM of the
 *   expected kind (the CLI maps it to exit 3).
 */
export async function loadGatewayTls(
  paths: { certPath: string; keyPath: string },
): Promise<GatewayTls> {
  const cert = await readPem(paths.certPath, "certificate");
  const key = await readPem(paths.keyPath, "key");
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) {
    throw new Error(`TLS key file ${paths.keyPath} holds no PEM private key`);
  }
  let fingerprint: string;
  try {
    fingerprint = await pemCertificateFingerprint(cert);
  } catch (err) {
    throw new Error(
      `TLS certificate file ${paths.certPath} holds no PEM certificate: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return { cert, key, certPath: paths.certPath, keyPath: paths.keyPath, fingerprint };
}

async function readPem(path: string, what: "certificate" | "key"): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    const why = err instanceof Deno.errors.NotFound ? "file not found" : (err as Error).message;
    throw new Error(`Cannot read TLS ${what} file ${path}: ${why}`, { cause: err });
  }
}
