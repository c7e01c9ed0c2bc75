/**
 * Presence visibility (issue 11 item 8, issue 12): `hello-ok.snapshot.presence` carries the
 * presence list only to operators holding `operator.read`, as upstream's presence projection
 * does; nodes and no-scope operators get `[]`. Entries and the health snapshot carry no
 * gateway internals (`connId`, `gateway`), and both parse with the closed schemas.
 */
import * as v from "valibot";
import assert from "node:assert/strict";
import { generateDeviceIdentity } from "../src/identity/device_identity.ts";
import { HealthSnapshotSchema, PresenceEntrySchema } from "../src/protocol/mod.ts";
import { startGatewayProcess } from "./helpers/cli.ts";
import { connectDevice, connectOperator, startEchoNode } from "./helpers/node_peer.ts";

Deno.test("hello-ok presence: full list for operator.read, [] for no-scope operators and nodes", async () => {
  const gw = await startGatewayProcess();
  const identity = await generateDeviceIdentity();
  const node = await startEchoNode(gw.url, { identity, token: gw.token });
  const reader = await connectOperator(gw.url, gw.token, ["operator.read"]);
  const noScope = await connectOperator(gw.url, gw.token, []);
  const opIdentity = await generateDeviceIdentity();
  const signedNoScope = await connectDevice(gw.url, {
    identity: opIdentity,
    role: "operator",
    token: gw.token,
    scopes: [],
    clientId: "gateway-client",
    clientMode: "backend",
  });
  try {
    const seen = reader.client.hello.snapshot.presence;
    assert.ok(seen.length >= 2, `gateway self + node: ${JSON.stringify(seen)}`);
    const nodeEntry = seen.find((p) => p.deviceId === identity.deviceId);
    assert.ok(nodeEntry, "the node's presence entry is visible to a reader");
    assert.equal(nodeEntry.instanceId, identity.deviceId);
    for (const entry of seen) {
      assert.ok(!("connId" in entry), `no connId in ${JSON.stringify(entry)}`);
      const parsed = v.safeParse(PresenceEntrySchema, entry);
      assert.ok(parsed.success, parsed.issues?.[0]?.message);
    }
    assert.deepEqual(noScope.client.hello.auth.scopes, []);
    assert.deepEqual(noScope.client.hello.snapshot.presence, []);
    assert.deepEqual(signedNoScope.hello.auth.scopes, []);
    assert.deepEqual(signedNoScope.hello.snapshot.presence, []);
    assert.deepEqual(node.client.hello.snapshot.presence, []);

    const health = reader.client.hello.snapshot.health as Record<string, unknown>;
    assert.ok(!("gateway" in health), `no gateway block in health: ${JSON.stringify(health)}`);
    assert.ok(v.is(HealthSnapshotSchema, health));
    const viaMethod = await reader.client.request<Record<string, unknown>>("health");
    assert.ok(!("gateway" in viaMethod));
    assert.ok(v.is(HealthSnapshotSchema, viaMethod));
  } finally {
    signedNoScope.close();
    noScope.client.close();
    reader.client.close();
    node.client.close();
    await gw.stop();
    await Deno.remove(gw.stateDir, { recursive: true });
  }
});
