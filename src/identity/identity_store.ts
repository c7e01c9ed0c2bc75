/**
 * On-disk device identity and device tokens under a clawgate state dir.
 *
 * - `<stateDir>/identity/device.json`:
 *   `{version:1, deviceId, publicKey, privateKeyPkcs8, createdAtMs}` (mode 0600).
 * - `<stateDir>/identity/device-tokens.json`:
 *   `{version:1, tokens: {<normalized gateway url>: {<role>: {token, scopes, issuedAtMs}}}}`
 *   (mode 0600): the `hello-ok.auth.deviceToken` each gateway issued per role (protocol.md §3.4).
 *
 * Files are written with {@link writeJsonAtomic}. Token updates are read-modify-write without a
 * lock; concurrent writers on one state dir may lose an update (the next connect re-issues it).
 *
 * @example First run creates, later runs load
 * ```ts
 * import { loadOrCreateDeviceIdentity } from "./identity_store.ts";
 * const dir = await Deno.makeTempDir();
 * const a = await loadOrCreateDeviceIdentity(dir);
 * const b = await loadOrCreateDeviceIdentity(dir);
 * console.assert(a.deviceId === b.deviceId);
 * await Deno.remove(dir, { recursive: true });
 * ```
 * @module
 */
import { writeJsonAtomic } from "../platform/atomic_write.ts";
import {
  type DeviceIdentity,
  exportPrivateKeyPkcs8,
  generateDeviceIdentity,
  importDeviceIdentity,
} from "./device_identity.ts";

/** A device token issued by one gateway for one role. */
export interface DeviceTokenRecord {
  /** The opaque token (`hello-ok.auth.deviceToken`). */
  token: string;
  /** Scopes granted with it (`hello-ok.auth.scopes`). */
  scopes: string[];
  /** Issue time, epoch milliseconds (`hello-ok.auth.issuedAtMs`). */
  issuedAtMs: number;
}

/** Shape of `device.json`. */
interface StoredIdentity {
  version: 1;
  deviceId: string;
  publicKey: string;
  privateKeyPkcs8: string;
  createdAtMs: number;
}

/** Shape of `device-tokens.json`. */
interface StoredTokens {
  version: 1;
  tokens: Record<string, Record<string, DeviceTokenRecord>>;
}

/**
 * Path of the identity file for a state dir.
 *
 * @param stateDir The clawgate state directory.
 * @returns `<stateDir>/identity/device.json`.
 */
export function deviceIdentityPath(stateDir: string): string {
  return `${stateDir}/identity/device.json`;
}

/**
 * Path of the device-token file for a state dir.
 *
 * @param stateDir The clawgate state directory.
 * @returns `<stateDir>/identity/device-tokens.json`.
 */
export function deviceTokensPath(stateDir: string): string {
  return `${stateDir}/identity/device-tokens.json`;
}

/**
 * Load the stored device identity.
 *
 * @param stateDir The clawgate state directory.
 * @returns The identity, or `null` when no identity file exists yet.
 * @throws {Error} When the file exists but is unreadable, not valid JSON, has the wrong shape, or
 *   its keys do not match; the message names the file and says to delete it to re-pair.
 */
export async function loadDeviceIdentity(stateDir: string): Promise<DeviceIdentity | null> {
  const path = deviceIdentityPath(stateDir);
  const text = await readTextOrNull(path);
  if (text === null) return null;
  let stored: unknown;
  try {
    stored = JSON.parse(text);
  } catch (err) {
    throw corrupt(path, `not valid JSON (${errText(err)})`);
  }
  if (!isStoredIdentity(stored)) {
    throw corrupt(path, "expected {version:1, deviceId, publicKey, privateKeyPkcs8, createdAtMs}");
  }
  let identity: DeviceIdentity;
  try {
    identity = await importDeviceIdentity(stored);
  } catch (err) {
    throw corrupt(path, errText(err));
  }
  if (identity.deviceId !== stored.deviceId) {
    throw corrupt(path, "deviceId is not the SHA-256 of publicKey");
  }
  return identity;
}

/**
 * Load the device identity, creating and persisting a new one on first use. Creation is
 * exclusive: if another process creates the file first, its identity is loaded and returned.
 *
 * @param stateDir The clawgate state directory (created 0700 if missing).
 * @param options `nowMs`: creation timestamp to record, epoch ms (default `Date.now()`).
 * @returns The stored or newly created identity.
 * @throws {Error} When an existing file is corrupt (see {@link loadDeviceIdentity}) or the
 *   state dir is not writable.
 */
export async function loadOrCreateDeviceIdentity(
  stateDir: string,
  options: { nowMs?: number } = {},
): Promise<DeviceIdentity> {
  const existing = await loadDeviceIdentity(stateDir);
  if (existing) return existing;
  const identity = await generateDeviceIdentity();
  const stored: StoredIdentity = {
    version: 1,
    deviceId: identity.deviceId,
    publicKey: identity.publicKey,
    privateKeyPkcs8: await exportPrivateKeyPkcs8(identity),
    createdAtMs: options.nowMs ?? Date.now(),
  };
  const created = await writeJsonAtomic(deviceIdentityPath(stateDir), stored, { exclusive: true });
  if (created) return identity;
  const winner = await loadDeviceIdentity(stateDir);
  if (!winner) throw new Error(`${deviceIdentityPath(stateDir)} vanished while being created`);
  return winner;
}

/**
 * Normalize a gateway URL into a device-token key: lowercase scheme and host, default ports
 * dropped, `http(s)` mapped to `ws(s)`, query, fragment and trailing `/` removed.
 *
 * @param url A gateway URL such as `ws://127.0.0.1:18789/`.
 * @returns The key, e.g. `ws://127.0.0.1:18789`.
 * @throws {TypeError} When `url` is not a ws/wss/http/https URL.
 */
export function normalizeGatewayUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new TypeError(`invalid gateway URL "${url}": expected ws://host:port or wss://host:port`);
  }
  const scheme = { "ws:": "ws:", "wss:": "wss:", "http:": "ws:", "https:": "wss:" }[u.protocol];
  if (!scheme) {
    throw new TypeError(`invalid gateway URL "${url}": scheme must be ws:// or wss://`);
  }
  const defaultPort = scheme === "ws:" ? "80" : "443";
  const port = u.port && u.port !== defaultPort ? `:${u.port}` : "";
  const path = u.pathname.replace(/\/+$/, "");
  return `${scheme}//${u.hostname}${port}${path}`;
}

/**
 * Look up the stored device token for a gateway and role.
 *
 * @param stateDir The clawgate state directory.
 * @param url The gateway URL (normalized with {@link normalizeGatewayUrl}).
 * @param role The connection role, e.g. `operator` or `node`.
 * @returns The record, or `null` when none is stored.
 * @throws {TypeError} When `url` is invalid.
 * @throws {Error} When the token file is corrupt (the message names it and says to delete it).
 */
export async function getDeviceToken(
  stateDir: string,
  url: string,
  role: string,
): Promise<DeviceTokenRecord | null> {
  const key = normalizeGatewayUrl(url);
  const all = await readTokens(stateDir);
  return all.tokens[key]?.[role] ?? null;
}

/**
 * Store (replace) the device token for a gateway and role.
 *
 * @param stateDir The clawgate state directory.
 * @param url The gateway URL.
 * @param role The connection role.
 * @param record The token, its scopes and its issue time (epoch ms).
 * @throws {TypeError} When `url` is invalid.
 * @throws {Error} When the token file is corrupt or cannot be written.
 */
export async function setDeviceToken(
  stateDir: string,
  url: string,
  role: string,
  record: DeviceTokenRecord,
): Promise<void> {
  const key = normalizeGatewayUrl(url);
  const all = await readTokens(stateDir);
  all.tokens[key] = {
    ...all.tokens[key],
    [role]: { token: record.token, scopes: [...record.scopes], issuedAtMs: record.issuedAtMs },
  };
  await writeJsonAtomic(deviceTokensPath(stateDir), all);
}

/**
 * Forget the device token for a gateway and role (e.g. after `AUTH_DEVICE_TOKEN_MISMATCH`).
 *
 * @param stateDir The clawgate state directory.
 * @param url The gateway URL.
 * @param role The connection role.
 * @returns `true` when a token was removed, `false` when none was stored.
 * @throws {TypeError} When `url` is invalid.
 * @throws {Error} When the token file is corrupt or cannot be written.
 */
export async function clearDeviceToken(
  stateDir: string,
  url: string,
  role: string,
): Promise<boolean> {
  const key = normalizeGatewayUrl(url);
  const all = await readTokens(stateDir);
  const roles = all.tokens[key];
  if (!roles || !(role in roles)) return false;
  delete roles[role];
  if (Object.keys(roles).length === 0) delete all.tokens[key];
  await writeJsonAtomic(deviceTokensPath(stateDir), all);
  return true;
}

async function readTokens(stateDir: string): Promise<StoredTokens> {
  const path = deviceTokensPath(stateDir);
  const text = await readTextOrNull(path);
  if (text === null) return { version: 1, tokens: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw corrupt(path, `not valid JSON (${errText(err)})`);
  }
  if (!isStoredTokens(parsed)) {
    throw corrupt(path, "expected {version:1, tokens:{<url>:{<role>:{token,scopes,issuedAtMs}}}}");
  }
  return parsed;
}

function isStoredIdentity(v: unknown): v is StoredIdentity {
  if (!isRecord(v)) return false;
  return v.version === 1 && typeof v.deviceId === "string" && typeof v.publicKey === "string" &&
    typeof v.privateKeyPkcs8 === "string" && typeof v.createdAtMs === "number";
}

function isStoredTokens(v: unknown): v is StoredTokens {
  if (!isRecord(v) || v.version !== 1 || !isRecord(v.tokens)) return false;
  return Object.values(v.tokens).every((roles) =>
    isRecord(roles) &&
    Object.values(roles).every((r) =>
      isRecord(r) && typeof r.token === "string" && typeof r.issuedAtMs === "number" &&
      Array.isArray(r.scopes) && r.scopes.every((s) => typeof s === "string")
    )
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

async function readTextOrNull(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw new Error(`cannot read ${path}: ${errText(err)}; check its permissions`, { cause: err });
  }
}

function corrupt(path: string, why: string): Error {
  const what = path.endsWith("device-tokens.json") ? "device token file" : "device identity file";
  return new Error(
    `${what} ${path} is corrupt: ${why}. ` +
      `Delete it and re-pair this device with the gateway.`,
  );
}

function errText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
