/**
 * Cross-site WebSocket hijacking (issue 11 item 1) against a real `gateway run --auth none`:
 * browser upgrades (an `Origin` header) from foreign pages are refused at `connect`, the
 * gateway's own origin and `gateway.controlUi.allowedOrigins` are admitted without scopes, and
 * clients without `Origin` keep working as before.
 */
import assert from "node:assert/strict";
import { startGatewayProcess, tempConfigFile } from "./helpers/cli.ts";
import { connectFrame, openRaw } from "./helpers/raw_ws.ts";

const ADMIN = ["operator.admin", "operator.read"];

async function connectAs(url: string, headers?: Record<string, string>) {
  const ws = await openRaw(url, headers);
  assert.equal((await ws.frame(1)).event, "connect.challenge");
  ws.send(connectFrame({ scopes: ADMIN }));
  const res = await ws.frame(2);
  return { ws, res };
}

Deno.test({
  name: "gateway: browser origins are checked at connect (auth none)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const configPath = await tempConfigFile({
      gateway: { controlUi: { allowedOrigins: ["HTTPS://UI.example:8443"] } },
    });
    const gw = await startGatewayProcess({ token: null, args: ["--auth", "none"], configPath });
    try {
      await t.step("--auth none logs a security warning", () => {
        assert.match(gw.logs(), /SECURITY WARNING: auth mode none/);
      });
      await t.step("foreign page → INVALID_REQUEST origin not allowed, close 1008", async () => {
        const { ws, res } = await connectAs(gw.url, { Origin: "https://evil.example" });
        assert.equal(res.ok, false);
        const error = res.error as { code: string; message: string; details: { code: string } };
        assert.equal(error.code, "INVALID_REQUEST");
        assert.match(error.message, /^origin not allowed/);
        assert.equal(error.details.code, "CONTROL_UI_ORIGIN_NOT_ALLOWED");
        assert.equal((await ws.closed()).code, 1008);
      });
      await t.step("DNS-rebinding page (Host = its own name) is refused", async () => {
        const host = `evil.example:${gw.port}`;
        const { ws, res } = await connectAs(gw.url, { Origin: `http://${host}`, Host: host });
        assert.equal(res.ok, false);
        ws.close();
      });
      await t.step("another local port is a foreign origin", async () => {
        const { ws, res } = await connectAs(gw.url, { Origin: "http://127.0.0.1:5173" });
        assert.equal(res.ok, false);
        ws.close();
      });
      for (
        const [what, origin] of [
          ["the gateway's own origin", `http://127.0.0.1:${gw.port}`],
          ["an allowedOrigins entry (case-insensitive)", "https://ui.example:8443"],
        ]
      ) {
        await t.step(`${what} is admitted without scopes (no device)`, async () => {
          const { ws, res } = await connectAs(gw.url, { Origin: origin });
          assert.equal(res.ok, true, JSON.stringify(res));
          const auth = (res.payload as { auth: { scopes: string[] } }).auth;
          assert.deepEqual(auth.scopes, []);
          ws.close();
        });
      }
      await t.step("no Origin (CLI) keeps its scopes as before", async () => {
        const { ws, res } = await connectAs(gw.url);
        assert.equal(res.ok, true);
        assert.deepEqual((res.payload as { auth: { scopes: string[] } }).auth.scopes, ADMIN);
        ws.close();
      });
    } finally {
      await gw.stop();
      await Deno.remove(configPath.replace(/\/[^/]*$/, ""), { recursive: true });
    }
  },
});
