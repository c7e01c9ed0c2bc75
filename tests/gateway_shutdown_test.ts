/**
 * Gateway stop order: once SIGTERM arrives the listener is closed before `shutdown` is broadcast,
 * so clients that reconnect at once (nodes after the 1012 close) are refused instead of getting a
 * session on the gateway that is going away.
 */
import assert from "node:assert/strict";
import { startGatewayProcess } from "./helpers/cli.ts";
import { connectFrame, openRaw } from "./helpers/raw_ws.ts";

Deno.test({
  name: "gateway: after SIGTERM a new connection is refused while sessions get shutdown and 1012",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const gw = await startGatewayProcess();
    try {
      const ws = await openRaw(gw.url);
      await ws.frame(1);
      ws.send(connectFrame({
        client: { id: "gateway-client", version: "t", platform: "linux", mode: "backend" },
        auth: { token: gw.token },
      }));
      assert.equal((await ws.frame(2)).ok, true);
      gw.kill("SIGTERM");
      let n = 3;
      while ((await ws.frame(n, 10_000)).event !== "shutdown") n++;
      // The kernel may still complete a TCP handshake in the instant before the listening
      // socket is gone, so the check is that no late client gets as far as a challenge.
      const late = await openRaw(gw.url).then(
        async (raw) => {
          const challenge = await raw.frame(1, 5_000).catch(() => undefined);
          raw.close();
          return challenge ? "served" : "dropped";
        },
        () => "refused",
      );
      assert.notEqual(late, "served");
      assert.equal((await ws.closed(10_000)).code, 1012);
      assert.equal((await gw.status).code, 0);
    } finally {
      await gw.stop();
      await Deno.remove(gw.stateDir, { recursive: true });
    }
  },
});
