import assert from "node:assert/strict";
import { signPayload, verifyDeviceSignature } from "./device_identity.ts";
import {
  clearDeviceToken,
  deviceIdentityPath,
  deviceTokensPath,
  getDeviceToken,
  loadDeviceIdentity,
  loadOrCreateDeviceIdentity,
  normalizeGatewayUrl,
  setDeviceToken,
} from "./identity_store.ts";

async function withStateDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "clawgate-identity-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("loadDeviceIdentity() returns null when no identity exists", async () => {
  await withStateDir(async (dir) => {
    assert.equal(await loadDeviceIdentity(dir), null);
  });
});

Deno.test("loadOrCreateDeviceIdentity() persists a 0600 file and reloads the same key", async () => {
  await withStateDir(async (dir) => {
    const created = await loadOrCreateDeviceIdentity(dir, { nowMs: 1234 });
    const path = deviceIdentityPath(dir);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(`${dir}/identity`)).mode! & 0o777, 0o700);
    const stored = JSON.parse(await Deno.readTextFile(path));
    assert.deepEqual(Object.keys(stored).sort(), [
      "createdAtMs",
      "deviceId",
      "privateKeyPkcs8",
      "publicKey",
      "version",
    ]);
    assert.equal(stored.version, 1);
    assert.equal(stored.createdAtMs, 1234);
    assert.equal(stored.deviceId, created.deviceId);
    const loaded = await loadOrCreateDeviceIdentity(dir);
    assert.equal(loaded.deviceId, created.deviceId);
    assert.equal(loaded.publicKey, created.publicKey);
    const sig = await signPayload(loaded, "hello");
    assert.equal(await verifyDeviceSignature(created.publicKey, "hello", sig), true);
    // No temp files are left behind.
    const names = [];
    for await (const e of Deno.readDir(`${dir}/identity`)) names.push(e.name);
    assert.deepEqual(names, ["device.json"]);
  });
});

Deno.test("loadOrCreateDeviceIdentity() racing callers agree on one identity", async () => {
  await withStateDir(async (dir) => {
    const ids = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateDeviceIdentity(dir)));
    assert.equal(new Set(ids.map((i) => i.deviceId)).size, 1);
    assert.equal((await loadDeviceIdentity(dir))?.deviceId, ids[0].deviceId);
  });
});

Deno.test("loadDeviceIdentity() on a corrupt file names it and says to delete it", async () => {
  await withStateDir(async (dir) => {
    const path = deviceIdentityPath(dir);
    await Deno.mkdir(`${dir}/identity`, { recursive: true });
    for (const text of ["{not json", '{"version":2}', "[]"]) {
      await Deno.writeTextFile(path, text);
      await assert.rejects(() => loadDeviceIdentity(dir), (err: Error) => {
        assert.ok(err.message.includes(path), err.message);
        assert.match(err.message, /corrupt/);
        assert.match(err.message, /Delete it/);
        return true;
      });
    }
    // Well-formed but with a deviceId that does not match the key.
    const good = await loadOrCreateDeviceIdentity(`${dir}/other`);
    const stored = JSON.parse(await Deno.readTextFile(deviceIdentityPath(`${dir}/other`)));
    await Deno.writeTextFile(path, JSON.stringify({ ...stored, deviceId: "0".repeat(64) }));
    await assert.rejects(() => loadOrCreateDeviceIdentity(dir), /deviceId is not the SHA-256/);
    assert.ok(good.deviceId);
  });
});

Deno.test("normalizeGatewayUrl() canonicalizes scheme, host, port and path", () => {
  assert.equal(normalizeGatewayUrl("ws://127.0.0.1:18789/"), "ws://127.0.0.1:18789");
  assert.equal(normalizeGatewayUrl("WS://LocalHost:80/"), "ws://localhost");
  assert.equal(
    normalizeGatewayUrl("https://gw.example.com:443/a/?x=1#y"),
    "wss://gw.example.com/a",
  );
  assert.equal(normalizeGatewayUrl("wss://[::1]:8443"), "wss://[::1]:8443");
  assert.throws(() => normalizeGatewayUrl("not a url"), TypeError);
  assert.throws(() => normalizeGatewayUrl("ftp://x"), /scheme must be ws/);
});

Deno.test("device tokens: set/get/clear keyed by normalized URL + role, file 0600", async () => {
  await withStateDir(async (dir) => {
    const url = "ws://127.0.0.1:18789";
    assert.equal(await getDeviceToken(dir, url, "node"), null);
    const rec = { token: "tok-node", scopes: [], issuedAtMs: 1795385847704 };
    await setDeviceToken(dir, url + "/", "node", rec);
    await setDeviceToken(dir, url, "operator", {
      token: "tok-op",
      scopes: ["operator.read"],
      issuedAtMs: 5,
    });
    assert.equal((await Deno.stat(deviceTokensPath(dir))).mode! & 0o777, 0o600);
    assert.deepEqual(await getDeviceToken(dir, "WS://127.0.0.1:18789/", "node"), rec);
    assert.equal((await getDeviceToken(dir, url, "operator"))?.token, "tok-op");
    assert.equal(await getDeviceToken(dir, "ws://127.0.0.1:1", "node"), null);
    assert.equal(await clearDeviceToken(dir, url, "node"), true);
    assert.equal(await clearDeviceToken(dir, url, "node"), false);
    assert.equal(await getDeviceToken(dir, url, "node"), null);
    assert.equal((await getDeviceToken(dir, url, "operator"))?.token, "tok-op");
  });
});

Deno.test("device tokens: a corrupt token file is reported with its path", async () => {
  await withStateDir(async (dir) => {
    await Deno.mkdir(`${dir}/identity`, { recursive: true });
    await Deno.writeTextFile(deviceTokensPath(dir), '{"version":1,"tokens":{"ws://x":{"node":1}}}');
    await assert.rejects(
      () => getDeviceToken(dir, "ws://x", "node"),
      (err: Error) => err.message.includes(deviceTokensPath(dir)) && /Delete it/.test(err.message),
    );
  });
});
