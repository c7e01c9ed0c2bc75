/**
 * Device proof and device pairing against a real `clawgate gateway run`: DEVICE_AUTH_* refusals
 * with the upstream `details.code`/`reason`, and `autoApproveLocal:false` → PAIRING_REQUIRED
 * with a request id, approval via `device.pair.approve`, reconnect OK.
 */
import assert from "node:assert/strict";
import { startGatewayProcess } from "./helpers/cli.ts";
import { connectDevice, connectOperator, rpcError } from "./helpers/node_peer.ts";
import { generateDeviceIdentity } from "../src/identity/device_identity.ts";

Deno.test("device proof refusals carry the right details.code", async () => {
  const gw = await startGatewayProcess();
  try {
    const identity = await generateDeviceIdentity();
    const other = await generateDeviceIdentity();
    const cases: Array<[string, string, string, Parameters<typeof connectDevice>[1]["tamper"]]> = [
      ["DEVICE_AUTH_SIGNATURE_INVALID", "device signature invalid", "device-signature", (d) => {
        d.signature = "A".repeat(86);
      }],
      ["DEVICE_AUTH_NONCE_MISMATCH", "device nonce mismatch", "device-nonce-mismatch", (d) => {
        d.nonce = crypto.randomUUID();
      }],
      ["DEVICE_AUTH_NONCE_REQUIRED", "device nonce required", "device-nonce-missing", (d) => {
        d.nonce = "";
      }],
      [
        "DEVICE_AUTH_SIGNATURE_EXPIRED",
        "device signature expired",
        "device-signature-stale",
        (d) => {
          d.signedAt = Date.now() - 10 * 60_000;
        },
      ],
      ["DEVICE_AUTH_DEVICE_ID_MISMATCH", "device identity mismatch", "device-id-mismatch", (d) => {
        d.id = other.deviceId;
      }],
      ["DEVICE_AUTH_PUBLIC_KEY_INVALID", "device public key invalid", "device-public-key", (d) => {
        d.publicKey = "not-a-key";
      }],
    ];
    for (const [code, message, reason, tamper] of cases) {
      const err = await rpcError(
        connectDevice(gw.url, { identity, token: gw.token, commands: ["echo"], tamper }),
      );
      assert.equal(err.code, "INVALID_REQUEST", code);
      assert.equal(err.message, message);
      assert.deepEqual(err.details, { code, reason });
    }
    // The untampered proof is accepted.
    const ok = await connectDevice(gw.url, { identity, token: gw.token, commands: ["echo"] });
    ok.close();
  } finally {
    await gw.stop();
    await Deno.remove(gw.stateDir, { recursive: true }).catch(() => {});
  }
});

Deno.test("autoApproveLocal:false → PAIRING_REQUIRED, device.pair.approve, reconnect OK", async () => {
  const dir = await Deno.makeTempDir({ prefix: "clawgate-cfg-" });
  const configPath = `${dir}/clawgate.json`;
  await Deno.writeTextFile(
    configPath,
    JSON.stringify({ gateway: { nodes: { pairing: { autoApproveLocal: false } } } }),
  );
  const gw = await startGatewayProcess({ configPath });
  const op = await connectOperator(gw.url, gw.token);
  try {
    const identity = await generateDeviceIdentity();
    const err = await rpcError(
      connectDevice(gw.url, { identity, token: gw.token, commands: ["echo"] }),
    );
    assert.equal(err.code, "NOT_PAIRED");
    assert.equal(err.message, "pairing required: device is not approved yet");
    const details = err.details as Record<string, unknown>;
    assert.equal(details.code, "PAIRING_REQUIRED");
    assert.equal(details.reason, "not-paired");
    assert.equal(details.deviceId, identity.deviceId);
    assert.equal(details.requestedRole, "node");
    assert.equal(typeof details.remediationHint, "string");
    const requestId = details.requestId as string;
    assert.match(requestId, /^[0-9a-f-]{36}$/);

    // A second attempt reuses the same request.
    const again = await rpcError(
      connectDevice(gw.url, { identity, token: gw.token, commands: ["echo"] }),
    );
    assert.equal((again.details as Record<string, unknown>).requestId, requestId);

    const list = await op.client.request<{ pending: Record<string, unknown>[]; paired: unknown[] }>(
      "device.pair.list",
      {},
    );
    const pending = list.pending.find((p) => p.requestId === requestId)!;
    assert.equal(pending.deviceId, identity.deviceId);
    assert.equal(pending.role, "node");
    assert.equal(pending.publicKey, identity.publicKey);
    assert.ok(op.events.some((e) => e.event === "device.pair.requested"));

    // Approving a node-role device needs operator.admin.
    const weak = await connectOperator(gw.url, gw.token, ["operator.pairing"]);
    const denied = await rpcError(weak.client.request("device.pair.approve", { requestId }));
    assert.equal(denied.message, "device pairing approval denied");
    weak.client.close();
    const unknown = await rpcError(op.client.request("device.pair.approve", { requestId: "nope" }));
    assert.equal(unknown.message, "unknown requestId");

    const approved = await op.client.request<
      { requestId: string; device: Record<string, unknown> }
    >(
      "device.pair.approve",
      { requestId },
    );
    assert.equal(approved.device.deviceId, identity.deviceId);
    assert.equal(approved.device.approvedVia, "owner");
    assert.ok(JSON.stringify(approved).indexOf('"token"') < 0, "token values never listed");
    assert.ok(op.events.some((e) => e.event === "device.pair.resolved"));

    const node = await connectDevice(gw.url, { identity, token: gw.token, commands: ["echo"] });
    assert.equal(node.hello.auth.deviceToken?.length, 43);
    node.close();

    // Reject path.
    const other = await generateDeviceIdentity();
    const e2 = await rpcError(connectDevice(gw.url, { identity: other, token: gw.token }));
    const rid = (e2.details as Record<string, unknown>).requestId as string;
    const rejected = await op.client.request<Record<string, unknown>>("device.pair.reject", {
      requestId: rid,
    });
    assert.equal(rejected.decision, "rejected");

    // Remove path: the paired device must pair again.
    await op.client.request("device.pair.remove", { deviceId: identity.deviceId });
    const e3 = await rpcError(
      connectDevice(gw.url, { identity, token: gw.token, commands: ["echo"] }),
    );
    assert.equal((e3.details as Record<string, unknown>).code, "PAIRING_REQUIRED");
  } finally {
    op.client.close();
    await gw.stop();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(gw.stateDir, { recursive: true }).catch(() => {});
  }
});
