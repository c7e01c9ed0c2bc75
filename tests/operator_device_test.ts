/**
 * Signed operator devices (what the CLI sends to non-loopback gateways): pairing required,
 * approval with `clawgate devices approve`, then the device token alone authenticates.
 * Everything stays on 127.0.0.1; `autoApproveLocal:false` makes loopback behave like remote.
 */
import assert from "node:assert/strict";
import { operatorConnectParams } from "../src/cli/operator_session.ts";
import { generateDeviceIdentity } from "../src/identity/device_identity.ts";
import { RpcError } from "../src/protocol/mod.ts";
import { GatewayClient } from "../src/transport/gateway_client.ts";
import { runClawgate, startGatewayProcess } from "./helpers/cli.ts";

Deno.test({
  name: "operator device: PAIRING_REQUIRED → devices approve → token, then device token alone",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir();
    const configPath = `${dir}/c.json`;
    await Deno.writeTextFile(
      configPath,
      `{gateway: {nodes: {pairing: {autoApproveLocal: false}}}}`,
    );
    const gw = await startGatewayProcess({ configPath });
    const identity = await generateDeviceIdentity();
    const target = { url: gw.url, urlSource: "test", token: gw.token };
    const open = (t: typeof target & { token?: string }, deviceToken?: string) =>
      GatewayClient.open({
        url: gw.url,
        buildConnect: (challenge) =>
          operatorConnectParams(t, ["operator.read"], { identity, challenge, deviceToken }),
      });
    try {
      const refused = await open(target).then(() => undefined, (e) => e);
      assert.ok(refused instanceof RpcError, String(refused));
      assert.equal(refused.code, "NOT_PAIRED");
      assert.equal(refused.detailCode, "PAIRING_REQUIRED");
      const requestId = String(refused.details?.requestId);
      const approve = await runClawgate([
        "devices",
        "approve",
        requestId,
        "--url",
        gw.url,
        "--token",
        gw.token,
      ]);
      assert.equal(approve.code, 0, approve.stdout + approve.stderr);

      const paired = await open(target);
      assert.deepEqual(paired.hello.auth.scopes, ["operator.read"]);
      const deviceToken = paired.hello.auth.deviceToken;
      assert.ok(deviceToken, "a device token is issued once paired");
      assert.ok(((await paired.request("system-presence")) as unknown[]).length >= 1);
      paired.close();

      const byToken = await open({
        url: gw.url,
        urlSource: "test",
        token: undefined as unknown as string,
      }, deviceToken);
      assert.equal(byToken.hello.auth.method, "device-token");
      byToken.close();

      const wrong = await open({
        url: gw.url,
        urlSource: "test",
        token: undefined as unknown as string,
      }, "x".repeat(43))
        .then(() => undefined, (e) => e);
      assert.ok(wrong instanceof RpcError);
      assert.equal(wrong.detailCode, "AUTH_DEVICE_TOKEN_MISMATCH");
    } finally {
      await gw.stop();
      await Deno.remove(dir, { recursive: true });
      await Deno.remove(gw.stateDir, { recursive: true });
    }
  },
});
