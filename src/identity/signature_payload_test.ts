import assert from "node:assert/strict";
import {
  buildDeviceAuthPayloadV2,
  buildDeviceAuthPayloadV3,
  type DeviceAuthPayloadParams,
  normalizeDeviceMetadata,
  signedTokenOf,
} from "./signature_payload.ts";

/** Real captured transcripts (copied from ../shared/wire into tests/fixtures/wire); secrets are redacted placeholders. */
const WIRE_DIR = new URL("../../tests/fixtures/wire/", import.meta.url);

interface WireRecord {
  conn?: number;
  dir?: string;
  frame?: Record<string, unknown>;
}

interface ObservedConnect {
  challenge: { nonce: string; ts: number };
  params: {
    client: { id: string; mode: string; platform: string; deviceFamily?: string };
    role?: string;
    scopes?: string[];
    auth?: { token?: string; deviceToken?: string; bootstrapToken?: string };
    device: { id: string; signedAt: number; nonce: string };
  };
}

/** Every signed `connect` in a transcript, paired with the challenge sent on the same socket. */
async function signedConnects(file: string): Promise<ObservedConnect[]> {
  const text = await Deno.readTextFile(new URL(file, WIRE_DIR));
  const records = text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as WireRecord);
  const challenges = new Map<number, { nonce: string; ts: number }>();
  const out: ObservedConnect[] = [];
  for (const r of records) {
    const f = r.frame;
    if (!f || r.conn === undefined) continue;
    if (r.dir === "s2c" && f.type === "event" && f.event === "connect.challenge") {
      challenges.set(r.conn, f.payload as { nonce: string; ts: number });
    }
    const params = f.params as ObservedConnect["params"] | undefined;
    if (r.dir === "c2s" && f.method === "connect" && params?.device) {
      const challenge = challenges.get(r.conn);
      assert.ok(challenge, `${file}: connect on conn ${r.conn} has no preceding challenge`);
      out.push({ challenge, params });
    }
  }
  return out;
}

function payloadParamsOf(c: ObservedConnect): DeviceAuthPayloadParams {
  const p = c.params;
  return {
    deviceId: p.device.id,
    clientId: p.client.id,
    clientMode: p.client.mode,
    role: p.role,
    scopes: p.scopes ?? [],
    signedAtMs: p.device.signedAt,
    token: signedTokenOf(p.auth),
    nonce: p.device.nonce,
    platform: p.client.platform,
    deviceFamily: p.client.deviceFamily,
  };
}

Deno.test("buildDeviceAuthPayloadV3() matches the node connect captured in node-connect.jsonl", async () => {
  const connects = await signedConnects("node-connect.jsonl");
  assert.equal(connects.length, 1);
  const [c] = connects;
  // The real node host signs the challenge it was sent: signedAt = challenge ts, same nonce.
  assert.equal(c.params.device.signedAt, c.challenge.ts);
  assert.equal(c.params.device.nonce, c.challenge.nonce);
  assert.equal(
    buildDeviceAuthPayloadV3(payloadParamsOf(c)),
    "v3|e58cad7c71831ff3de1c71f325bc0b8284df1655b293afa36bb4398d21fc6dca|node-host|node|node||" +
      "1795385847364|<redacted:gateway-token:len=25>|699313bb-80f0-4a4f-ae39-f5176fdb0e9f|linux|linux",
  );
});

Deno.test("signedTokenOf() picks auth.deviceToken on the device-token reconnect transcript", async () => {
  const [c] = await signedConnects("node-reconnect-devicetoken.jsonl");
  assert.equal(c.params.device.signedAt, c.challenge.ts);
  assert.equal(c.params.device.nonce, c.challenge.nonce);
  assert.equal(
    buildDeviceAuthPayloadV3(payloadParamsOf(c)),
    "v3|e58cad7c71831ff3de1c71f325bc0b8284df1655b293afa36bb4398d21fc6dca|node-host|node|node||" +
      "1795385956432|<redacted:device-token:len=43>|389aa344-3a84-4b7e-a93d-200edb11778c|linux|linux",
  );
});

Deno.test("every signed connect in the transcripts signs the challenge nonce and ts", async () => {
  const files = [
    "node-connect.jsonl",
    "node-reconnect-token.jsonl",
    "node-reconnect-devicetoken.jsonl",
    "remote-node-pairing-required.jsonl",
    "remote-node-pairing-approved.jsonl",
  ];
  for (const file of files) {
    for (const c of await signedConnects(file)) {
      assert.equal(c.params.device.nonce, c.challenge.nonce, file);
      assert.equal(c.params.device.signedAt, c.challenge.ts, file);
    }
  }
});

Deno.test("buildDeviceAuthPayloadV3() joins scopes in order and lowercases ASCII metadata", () => {
  const p: DeviceAuthPayloadParams = {
    deviceId: "id",
    clientId: "cli",
    clientMode: "cli",
    role: "operator",
    scopes: ["operator.read", "operator.write"],
    signedAtMs: 42,
    token: "T",
    nonce: "n",
    platform: "  MacOS ",
    deviceFamily: "Mac",
  };
  assert.equal(
    buildDeviceAuthPayloadV3(p),
    "v3|id|cli|cli|operator|operator.read,operator.write|42|T|n|macos|mac",
  );
  assert.equal(
    buildDeviceAuthPayloadV2(p),
    "v2|id|cli|cli|operator|operator.read,operator.write|42|T|n",
  );
});

Deno.test("buildDeviceAuthPayloadV3() defaults role to operator and absent fields to empty", () => {
  const p = {
    deviceId: "d",
    clientId: "cli",
    clientMode: "cli",
    scopes: [],
    signedAtMs: 1,
    nonce: "n",
  };
  assert.equal(buildDeviceAuthPayloadV3(p), "v3|d|cli|cli|operator||1||n||");
});

Deno.test("normalizeDeviceMetadata() only lowercases ASCII A-Z", () => {
  assert.equal(normalizeDeviceMetadata(" ÄLinux "), "Älinux");
  assert.equal(normalizeDeviceMetadata(undefined), "");
  assert.equal(normalizeDeviceMetadata(7), "");
});

Deno.test("signedTokenOf() follows token ?? deviceToken ?? bootstrapToken ?? ''", () => {
  assert.equal(signedTokenOf({ token: "a", deviceToken: "b", bootstrapToken: "c" }), "a");
  assert.equal(signedTokenOf({ deviceToken: "b", bootstrapToken: "c" }), "b");
  assert.equal(signedTokenOf({ bootstrapToken: "c" }), "c");
  assert.equal(signedTokenOf({ token: "", deviceToken: "b" }), "");
  assert.equal(signedTokenOf(undefined), "");
  assert.equal(signedTokenOf({}), "");
});
