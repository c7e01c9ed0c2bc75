/**
 * The browser's device identity for the Control UI: one Ed25519 key pair per browser profile,
 * created with WebCrypto with a **non-extractable** private key and kept in IndexedDB (the key
 * object itself, so script on this origin can sign with it but never read it out).
 *
 * Why a device key at all: OpenClaw refuses a Control UI connection without device identity
 * (`control ui requires device identity (use HTTPS or localhost secure context)`,
 * `src/gateway/server/ws-connection/connect-policy.ts`), so the browser is a paired device like
 * any other operator; on direct loopback with the token the pairing is silent.
 *
 * WebCrypto needs a secure context: `http://127.0.0.1`, `http://localhost` or HTTPS.
 * @module
 */
/// <reference lib="dom" />
import { encodeBase64Url } from "../../identity/base64url.ts";
import { type DeviceIdentity, deviceIdFromPublicKey } from "../../identity/device_identity.ts";

const DB_NAME = "clawgate-control-ui";
const STORE = "keys";
const KEY_ID = "device";

/** Raised when this page cannot hold a device key (insecure context, old browser). */
export class NoDeviceKeyError extends Error {}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function openDb(): Promise<IDBDatabase> {
  const open = indexedDB.open(DB_NAME, 1);
  open.onupgradeneeded = () => open.result.createObjectStore(STORE);
  return await request(open);
}

/**
 * Loads this browser's device identity, creating and storing it on first use.
 *
 * @throws {NoDeviceKeyError} No WebCrypto Ed25519 here (not a secure context, or too old).
 */
export async function loadDeviceIdentity(): Promise<DeviceIdentity> {
  if (!globalThis.isSecureContext || !crypto.subtle) {
    throw new NoDeviceKeyError(
      "This page is not a secure context, so the browser cannot create its device key. " +
        "Open it as http://127.0.0.1:PORT/ (for example through `clawgate tunnel`) or over HTTPS.",
    );
  }
  const db = await openDb();
  try {
    const store = () => db.transaction(STORE, "readwrite").objectStore(STORE);
    let pair = await request(store().get(KEY_ID)) as CryptoKeyPair | undefined;
    if (!pair) {
      try {
        pair = await crypto.subtle.generateKey({ name: "Ed25519" }, false, [
          "sign",
          "verify",
        ]) as CryptoKeyPair;
      } catch (err) {
        throw new NoDeviceKeyError(
          `This browser cannot create an Ed25519 device key (${(err as Error).message}); ` +
            "use a current Chromium, Firefox or Safari.",
        );
      }
      await request(store().put(pair, KEY_ID));
    }
    const raw = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
    const publicKey = encodeBase64Url(raw);
    return {
      deviceId: await deviceIdFromPublicKey(publicKey),
      publicKey,
      publicKeyRaw: raw,
      privateKey: pair.privateKey,
    };
  } finally {
    db.close();
  }
}
