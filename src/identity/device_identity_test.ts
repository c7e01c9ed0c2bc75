import assert from "node:assert/strict";
import { encodeHex } from "./base64url.ts";
import {
  deviceIdFromPublicKey,
  exportPrivateKeyPkcs8,
  generateDeviceIdentity,
  importDeviceIdentity,
  publicKeyPemFromRaw,
  publicKeyRawFromString,
  signPayload,
  verifyDeviceSignature,
} from "./device_identity.ts";

/**
 * A fixed vector produced with Node's `crypto` (what OpenClaw uses): seed = 32 × 0x07,
 * signature over PAYLOAD. Ed25519 is deterministic, so our signature must be byte-identical.
 */
const NODE_VECTOR = {
  pem:
    "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=\n" +
    "-----END PUBLIC KEY-----\n",
  rawB64u: "6kpsY-KcUgq-9VB7Ey7F-ZVHdq6-vnuSQh7qaRRG0iw",
  rawB64: "6kpsY+KcUgq+9VB7Ey7F+ZVHdq6+vnuSQh7qaRRG0iw=",
  id: "fe812c12f3ab4ce6ac5db69ac352f906cb1b11ef43fb33e252ef7ff552263889",
  payload: "v3|x|node-host|node|node||1|T|n|linux|linux",
  sig: "1vAjXVgLM8FzMpjUKegxHMS2o8XEqQOBnAX7HaNnae0i05D3Hn-53-txH8EFuf2dRiVrntkOBQgatosK8sHRDg",
  pkcs8: "MC4CAQAwBQYDK2VwBCIEIAcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcH",
};

Deno.test("generateDeviceIdentity() yields a 43-char base64url key and sha256(raw) hex id", async () => {
  const id = await generateDeviceIdentity();
  assert.match(id.publicKey, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(id.publicKeyRaw.length, 32);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", id.publicKeyRaw));
  assert.equal(id.deviceId, encodeHex(digest));
  assert.match(id.deviceId, /^[0-9a-f]{64}$/);
  assert.equal(await deviceIdFromPublicKey(id.publicKey), id.deviceId);
});

Deno.test("signPayload() / verifyDeviceSignature() round trip; tampering fails", async () => {
  const id = await generateDeviceIdentity();
  const payload = "v3|" + id.deviceId + "|node-host|node|node||1795385847364|T|nonce|linux|linux";
  const sig = await signPayload(id, payload);
  assert.match(sig, /^[A-Za-z0-9_-]{86}$/);
  assert.equal(await verifyDeviceSignature(id.publicKey, payload, sig), true);
  assert.equal(await verifyDeviceSignature(id.publicKey, payload.replace("T", "U"), sig), false);
  const other = await generateDeviceIdentity();
  assert.equal(await verifyDeviceSignature(other.publicKey, payload, sig), false);
  const flipped = (sig[0] === "A" ? "B" : "A") + sig.slice(1);
  assert.equal(await verifyDeviceSignature(id.publicKey, payload, flipped), false);
});

Deno.test("signPayload() matches Node's crypto.sign byte for byte", async () => {
  const id = await importDeviceIdentity({
    publicKey: NODE_VECTOR.rawB64u,
    privateKeyPkcs8: NODE_VECTOR.pkcs8,
  });
  assert.equal(id.deviceId, NODE_VECTOR.id);
  assert.equal(await signPayload(id, NODE_VECTOR.payload), NODE_VECTOR.sig);
});

Deno.test("verifyDeviceSignature() accepts base64url, standard base64 and PEM SPKI keys", async () => {
  const { payload, sig } = NODE_VECTOR;
  for (const key of [NODE_VECTOR.rawB64u, NODE_VECTOR.rawB64, NODE_VECTOR.pem]) {
    assert.equal(await verifyDeviceSignature(key, payload, sig), true, key);
    assert.equal(await deviceIdFromPublicKey(key), NODE_VECTOR.id);
  }
  const stdSig = sig.replaceAll("-", "+").replaceAll("_", "/") + "==";
  assert.equal(await verifyDeviceSignature(NODE_VECTOR.rawB64u, payload, stdSig), true);
});

Deno.test("verifyDeviceSignature() returns false, never throws, on garbage", async () => {
  const { payload, sig, rawB64u } = NODE_VECTOR;
  const garbage = [
    "",
    "!!!",
    "abc",
    rawB64u.slice(0, 42),
    "x".repeat(5000),
    "-----BEGIN PUBLIC KEY-----",
  ];
  for (const key of garbage) assert.equal(await verifyDeviceSignature(key, payload, sig), false);
  for (const s of ["", "%%", sig.slice(0, 80), "A".repeat(86)]) {
    assert.equal(await verifyDeviceSignature(rawB64u, payload, s), false);
  }
});

Deno.test("publicKeyRawFromString() round-trips through publicKeyPemFromRaw()", () => {
  const raw = publicKeyRawFromString(NODE_VECTOR.rawB64u);
  assert.ok(raw);
  assert.equal(publicKeyPemFromRaw(raw), NODE_VECTOR.pem);
  assert.deepEqual(publicKeyRawFromString(NODE_VECTOR.pem), raw);
  assert.equal(publicKeyRawFromString("AAAA"), null);
});

Deno.test("deviceIdFromPublicKey() throws a TypeError for a non-key", async () => {
  await assert.rejects(() => deviceIdFromPublicKey("nope"), TypeError);
});

Deno.test("importDeviceIdentity() round trip; mismatched keys are refused", async () => {
  const id = await generateDeviceIdentity();
  const pkcs8 = await exportPrivateKeyPkcs8(id);
  const back = await importDeviceIdentity({ publicKey: id.publicKey, privateKeyPkcs8: pkcs8 });
  assert.equal(back.deviceId, id.deviceId);
  assert.equal(await verifyDeviceSignature(id.publicKey, "p", await signPayload(back, "p")), true);
  await assert.rejects(
    () => importDeviceIdentity({ publicKey: NODE_VECTOR.rawB64u, privateKeyPkcs8: pkcs8 }),
    /does not belong/,
  );
  await assert.rejects(
    () => importDeviceIdentity({ publicKey: id.publicKey, privateKeyPkcs8: "AAAA" }),
    /not an Ed25519 PKCS#8 key/,
  );
});
