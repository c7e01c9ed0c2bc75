/**
 * The idempotency record never hands a result to a caller who could not have run the command:
 * a non-admin operator reusing an admin's idempotency key for an admin-only command is refused
 * with FORBIDDEN instead of joining the admin's invoke (real gateway process, real sockets).
 */
import assert from "node:assert/strict";
import { startGatewayProcess } from "./helpers/cli.ts";
import { connectOperator, rpcError, startEchoNode } from "./helpers/node_peer.ts";
import { generateDeviceIdentity } from "../src/identity/device_identity.ts";

Deno.test("node.invoke: an admin-only command's idempotency key does not let a non-admin join", async () => {
  const gw = await startGatewayProcess();
  const identity = await generateDeviceIdentity();
  const admin = await connectOperator(gw.url, gw.token);
  const writer = await connectOperator(gw.url, gw.token, ["operator.read", "operator.write"]);
  const node = await startEchoNode(gw.url, {
    identity,
    token: gw.token,
    commands: ["echo", "fs.listDir"],
  });
  try {
    const pairs = await admin.client.request<{ pending: { requestId: string; nodeId: string }[] }>(
      "node.pair.list",
      {},
    );
    const req = pairs.pending.find((p) => p.nodeId === identity.deviceId)!;
    await admin.client.request("node.pair.approve", { requestId: req.requestId });
    await node.nextEvent("node.pair.resolved");

    // The admin's fs.listDir is dispatched and stays in flight (the test node never answers it).
    const key = crypto.randomUUID();
    const adminCall = admin.client.request("node.invoke", {
      nodeId: identity.deviceId,
      command: "fs.listDir",
      params: {},
      idempotencyKey: key,
      timeoutMs: 3_000,
    }).catch((err) => err);
    for (let i = 0; i < 200 && !node.requests.some((r) => r.idempotencyKey === key); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
    assert.ok(node.requests.some((r) => r.idempotencyKey === key), "admin invoke dispatched");

    const refused = await rpcError(writer.client.request("node.invoke", {
      nodeId: identity.deviceId,
      command: "fs.listDir",
      params: {},
      idempotencyKey: key,
    }));
    assert.equal(refused.code, "FORBIDDEN");
    await adminCall;
  } finally {
    node.client.close();
    admin.client.close();
    writer.client.close();
    await gw.stop();
  }
});
