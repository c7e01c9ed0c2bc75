/**
 * Frame limits after hello (issue 11 item 6) against a real `gateway run`: JSON that is too
 * deep or has too many values is refused before `JSON.parse` (close 1009 with the reason), and
 * sessions that may only read get the 64 KiB pre-auth frame limit instead of 25 MiB.
 */
import assert from "node:assert/strict";
import { runClawgate, startGatewayProcess } from "./helpers/cli.ts";
import { connectFrame, openRaw } from "./helpers/raw_ws.ts";

const gw = await startGatewayProcess();

async function session(scopes: string[]) {
  const ws = await openRaw(gw.url);
  await ws.frame(1);
  ws.send(connectFrame({ scopes, auth: { token: gw.token } }));
  const hello = await ws.frame(2);
  assert.equal(hello.ok, true, JSON.stringify(hello));
  return { ws, hello: hello.payload as { policy: { maxPayload: number } } };
}

async function assertStillServes(): Promise<void> {
  const r = await runClawgate(["health", "--json", "--url", gw.url, "--token", gw.token]);
  assert.equal(r.code, 0, r.stderr);
}

const req = (params: string) => `{"type":"req","id":"7","method":"health","params":${params}}`;

Deno.test({
  name: "gateway: frame budget and per-session frame limits",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    try {
      await t.step("2 MB of nested [ → close 1009 nesting deeper than 64", async () => {
        const { ws, hello } = await session(["operator.admin"]);
        assert.equal(hello.policy.maxPayload, 26_214_400);
        ws.send(req("[".repeat(2_000_000)));
        const c = await ws.closed(30_000);
        assert.equal(c.code, 1009);
        assert.equal(c.reason, "frame too complex: nesting deeper than 64");
        await assertStillServes();
      });
      await t.step("150,000 empty objects → close 1009 too many objects", async () => {
        const { ws } = await session(["operator.admin"]);
        ws.send(req("[" + "{},".repeat(150_000) + "{}]"));
        const c = await ws.closed(30_000);
        assert.equal(c.code, 1009);
        assert.equal(c.reason, "frame too complex: more than 100000 objects and arrays");
        await assertStillServes();
      });
      await t.step("a 1 MB string inside a frame is fine", async () => {
        const { ws } = await session(["operator.admin"]);
        ws.send(req(JSON.stringify({ note: "x".repeat(1_000_000) })));
        const res = await ws.frame(3, 30_000);
        assert.equal(res.id, "7");
        ws.close();
      });
      await t.step("a read-only session gets 64 KiB: a 100 KB frame → 1009", async () => {
        const { ws, hello } = await session(["operator.read"]);
        assert.equal(hello.policy.maxPayload, 65_536);
        ws.send(req(JSON.stringify({ note: "x".repeat(100_000) })));
        const c = await ws.closed(30_000);
        assert.equal(c.code, 1009);
        assert.equal(c.reason, "payload too large");
        await assertStillServes();
      });
    } finally {
      await gw.stop();
    }
  },
});
