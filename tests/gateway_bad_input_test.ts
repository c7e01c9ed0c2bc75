/**
 * Bad input against a real `clawgate gateway run` process: each case asserts the documented
 * error and close code, then that a second, well-behaved client is served normally.
 */
import assert from "node:assert/strict";
import { runClawgate, startGatewayProcess } from "./helpers/cli.ts";
import { connectFrame, openRaw } from "./helpers/raw_ws.ts";

const gw = await startGatewayProcess({ env: { CLAWGATE_HANDSHAKE_TIMEOUT_MS: "1500" } });

async function assertStillServes(): Promise<void> {
  const r = await runClawgate(["health", "--json", "--url", gw.url, "--token", gw.token]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).ok, true);
}

async function challenged() {
  const ws = await openRaw(gw.url);
  const ch = await ws.frame(1);
  assert.equal(ch.event, "connect.challenge");
  return ws;
}

Deno.test({
  name: "gateway: bad input closes only the offending connection",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    try {
      await t.step("invalid JSON → close 1008", async () => {
        const ws = await challenged();
        ws.send("{not json");
        assert.equal((await ws.closed()).code, 1008);
        await assertStillServes();
      });
      await t.step("binary frame → close 1008", async () => {
        const ws = await challenged();
        ws.send(new Uint8Array([1, 2, 3]));
        assert.equal((await ws.closed()).code, 1008);
        await assertStillServes();
      });
      await t.step("first frame not connect → INVALID_REQUEST + 1008", async () => {
        const ws = await challenged();
        ws.send(JSON.stringify({ type: "req", id: "9", method: "health" }));
        const res = await ws.frame(2);
        assert.equal(res.ok, false);
        assert.deepEqual(
          (res.error as Record<string, unknown>).message,
          "invalid handshake: first request must be connect",
        );
        assert.equal((await ws.closed()).code, 1008);
        await assertStillServes();
      });
      await t.step("oversize pre-hello frame → close 1009", async () => {
        const ws = await challenged();
        ws.send(connectFrame({ userAgent: "x".repeat(70_000) }));
        const c = await ws.closed();
        assert.equal(c.code, 1009);
        assert.equal(c.reason, "preauth payload too large");
        await assertStillServes();
      });
      await t.step("protocol 99 → PROTOCOL_MISMATCH + 1002", async () => {
        const ws = await challenged();
        ws.send(connectFrame({ minProtocol: 99, maxProtocol: 99, auth: { token: gw.token } }));
        const res = await ws.frame(2);
        const err = res.error as { message: string; details: Record<string, unknown> };
        assert.equal(err.message, "protocol mismatch");
        assert.equal(err.details.code, "PROTOCOL_MISMATCH");
        assert.equal(err.details.expectedProtocol, 4);
        assert.equal((await ws.closed()).code, 1002);
        await assertStillServes();
      });
      await t.step("unknown client id → invalid connect params + 1008", async () => {
        const ws = await challenged();
        ws.send(
          connectFrame({
            client: { id: "evil", version: "1", platform: "linux", mode: "cli" },
            auth: { token: gw.token },
          }),
        );
        const res = await ws.frame(2);
        assert.match((res.error as { message: string }).message, /^invalid connect params: /);
        assert.equal((await ws.closed()).code, 1008);
        await assertStillServes();
      });
      await t.step("wrong token → AUTH_TOKEN_MISMATCH + 1008", async () => {
        const ws = await challenged();
        ws.send(connectFrame({ auth: { token: "wrong" } }));
        const res = await ws.frame(2);
        const err = res.error as { code: string; details: Record<string, unknown> };
        assert.equal(err.code, "INVALID_REQUEST");
        assert.equal(err.details.code, "AUTH_TOKEN_MISMATCH");
        assert.equal((await ws.closed()).code, 1008);
        await assertStillServes();
      });
      await t.step(
        "an event frame before hello → close 1008 invalid request frame",
        async () => {
          const ws = await challenged();
          ws.send(JSON.stringify({ type: "event", event: "tick", payload: {} }));
          const c = await ws.closed();
          assert.equal(c.code, 1008);
          assert.equal(c.reason, "invalid request frame");
          await assertStillServes();
        },
      );
      await t.step(
        "a request sent right behind connect (before hello) is answered after hello",
        async () => {
          const ws = await challenged();
          ws.send(connectFrame({ auth: { token: gw.token } }));
          ws.send(JSON.stringify({ type: "req", id: "2", method: "health" }));
          const hello = await ws.frame(2);
          assert.equal(hello.id, "1");
          assert.equal(hello.ok, true);
          const health = await ws.frame(3);
          assert.equal(health.id, "2");
          assert.equal((health.payload as { ok: boolean }).ok, true);
          ws.close();
        },
      );
      await t.step("handshake silence past the window → close 1000", async () => {
        const ws = await challenged();
        const c = await ws.closed(5000);
        assert.equal(c.code, 1000);
        await assertStillServes();
      });
      await t.step(
        "connect again after hello → connect is only valid as the first request",
        async () => {
          const ws = await challenged();
          ws.send(connectFrame({ auth: { token: gw.token } }));
          const hello = await ws.frame(2);
          assert.equal(hello.ok, true);
          ws.send(connectFrame({ auth: { token: gw.token } }, "2"));
          const res = await ws.frame(3);
          assert.equal(
            (res.error as { message: string }).message,
            "connect is only valid as the first request",
          );
          ws.send(JSON.stringify({ type: "req", id: "3", method: "nope" }));
          const res2 = await ws.frame(4);
          assert.equal((res2.error as { message: string }).message, "unknown method: nope");
          ws.close();
          await assertStillServes();
        },
      );
      await t.step("proxy headers are refused with 403", async () => {
        const res = await fetch(`http://127.0.0.1:${gw.port}/`, {
          headers: {
            upgrade: "websocket",
            connection: "Upgrade",
            "x-forwarded-for": "203.0.113.7",
            "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==",
            "sec-websocket-version": "13",
          },
        });
        assert.equal(res.status, 403);
        assert.equal((await res.json()).error.type, "proxy_attribution_required");
      });
    } finally {
      assert.equal(await gw.stop(), 0, gw.logs());
      await Deno.remove(gw.stateDir, { recursive: true });
    }
  },
});
