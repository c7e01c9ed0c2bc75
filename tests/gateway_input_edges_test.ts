/**
 * Input edge cases (issue 11 item 8, gateway side) against a real `gateway run`: method names
 * that exist on `Object.prototype` are unknown methods, a `node.invoke` `timeoutMs` above
 * 2^31−1 does not overflow into an immediate timeout, `GET /` does not reflect the Host
 * header, and a node's error code is not repeated in the CLI's message.
 */
import assert from "node:assert/strict";
import { runClawgate, startGatewayProcess, tempConfigFile } from "./helpers/cli.ts";
import { connectOperator, rpcError, startEchoNode } from "./helpers/node_peer.ts";
import { generateDeviceIdentity } from "../src/identity/device_identity.ts";

Deno.test({
  name: "gateway: prototype method names, huge timeoutMs, GET / and error codes",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const configPath = await tempConfigFile({ gateway: { nodes: { autoApprove: true } } });
    const gw = await startGatewayProcess({ configPath });
    const op = await connectOperator(gw.url, gw.token);
    const identity = await generateDeviceIdentity();
    const node = await startEchoNode(gw.url, { identity, token: gw.token });
    try {
      await t.step("constructor / toString / __proto__ → unknown method", async () => {
        for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) {
          const err = await rpcError(op.client.request(name, {}));
          assert.equal(err.code, "INVALID_REQUEST");
          assert.equal(err.message, `unknown method: ${name}`);
        }
      });
      await t.step("timeoutMs 2^31+1000 waits for the node instead of timing out", async () => {
        const res = await op.client.request<{ ok: boolean; payload: unknown }>("node.invoke", {
          nodeId: identity.deviceId,
          command: "echo",
          params: { x: 1 },
          timeoutMs: 2 ** 31 + 1000,
          idempotencyKey: crypto.randomUUID(),
        }, { timeoutMs: 20_000 });
        assert.equal(res.ok, true);
        assert.deepEqual(res.payload, { x: 1 });
      });
      await t.step("GET / does not echo the Host header", async () => {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port: gw.port });
        await conn.write(
          new TextEncoder().encode("GET / HTTP/1.1\r\nHost: evil.example:666\r\n\r\n"),
        );
        let text = "";
        const buf = new Uint8Array(4096);
        for (let n = await conn.read(buf); n !== null; n = await conn.read(buf)) {
          text += new TextDecoder().decode(buf.subarray(0, n));
        }
        conn.close();
        assert.match(text, /^HTTP\/1\.1 200/);
        assert.doesNotMatch(text, /evil/);
        assert.match(text, new RegExp(`"websocket":"ws://127\\.0\\.0\\.1:${gw.port}/"`));
      });
      await t.step("a node error is not prefixed twice with its code", async () => {
        const params = JSON.stringify({
          nodeId: identity.deviceId,
          command: "fail",
          idempotencyKey: crypto.randomUUID(),
        });
        const r = await runClawgate([
          "gateway",
          "call",
          "node.invoke",
          "--params",
          params,
          "--url",
          gw.url,
          "--token",
          gw.token,
        ]);
        assert.notEqual(r.code, 0);
        assert.match(r.stderr, /UNAVAILABLE: command not supported/);
        assert.doesNotMatch(r.stderr, /UNAVAILABLE: UNAVAILABLE/);
      });
    } finally {
      node.client.close();
      op.client.close();
      await gw.stop();
      await Deno.remove(configPath.replace(/\/[^/]*$/, ""), { recursive: true });
    }
  },
});
