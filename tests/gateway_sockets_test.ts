/**
 * Socket exhaustion (issue 11 item 3) against real `gateway run` processes: descriptor
 * exhaustion under `ulimit -n 1024` never ends the gateway, idle and slowloris connections are
 * closed by the header timeout, and connections that have not finished the handshake are
 * capped per IP (OpenClaw's 32) while established sessions keep working.
 */
import assert from "node:assert/strict";
import { runClawgate, startGatewayProcess } from "./helpers/cli.ts";
import { connectOperator } from "./helpers/node_peer.ts";

/** Reads until EOF (or `deadlineMs`); returns what arrived and whether EOF came. */
async function drain(
  conn: Deno.Conn,
  deadlineMs = 30_000,
): Promise<{ text: string; eof: boolean }> {
  const timer = setTimeout(() => conn.close(), deadlineMs);
  const buf = new Uint8Array(512);
  let text = "";
  let eof = false;
  try {
    for (let n = await conn.read(buf); n !== null; n = await conn.read(buf)) {
      text += new TextDecoder().decode(buf.subarray(0, n));
    }
    eof = true;
  } catch { /* closed at the deadline, or reset */ }
  clearTimeout(timer);
  try {
    conn.close();
  } catch { /* closed */ }
  return { text, eof };
}

async function health(url: string, token: string): Promise<void> {
  const r = await runClawgate(["health", "--json", "--url", url, "--token", token]);
  assert.equal(r.code, 0, r.stderr);
}

Deno.test({
  name: "gateway: 1,100 idle sockets under ulimit -n 1024 do not end the process",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    // Caps lifted so the flood really exhausts descriptors (the accept-error path).
    const gw = await startGatewayProcess({
      maxOpenFiles: 1024,
      env: {
        CLAWGATE_MAX_PREAUTH_CONNECTIONS_PER_IP: "100000",
        CLAWGATE_MAX_PREAUTH_CONNECTIONS: "100000",
      },
    });
    let exited = false;
    gw.status.then(() => (exited = true));
    const { client } = await connectOperator(gw.url, gw.token, ["operator.read"]);
    const flood: Deno.Conn[] = [];
    try {
      for (let i = 0; i < 1_100; i++) {
        flood.push(await Deno.connect({ hostname: "127.0.0.1", port: gw.port }));
      }
      // Wait (bounded) until the gateway has hit the limit and said so.
      for (let i = 0; i < 200 && !/accept failed/.test(gw.logs()); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.match(gw.logs(), /accept failed: Too many open files/);
      assert.equal(exited, false, gw.logs());
      // All idle sockets get closed by the header timeout.
      const results = await Promise.all(flood.map((c) => drain(c)));
      assert.equal(results.filter((r) => r.eof).length, flood.length);
      assert.equal(exited, false, gw.logs());
      await client.request("health");
      await health(gw.url, gw.token);
    } finally {
      client.close();
      for (const c of flood) {
        try {
          c.close();
        } catch { /* closed */ }
      }
      await gw.stop();
    }
  },
});

Deno.test({
  name: "gateway: pre-handshake cap (32 per IP) and header timeout; sessions keep working",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const gw = await startGatewayProcess();
    const { client } = await connectOperator(gw.url, gw.token, ["operator.read"]);
    try {
      await t.step("the 33rd idle connection from one IP gets 503 and is closed", async () => {
        const idle: Deno.Conn[] = [];
        for (let i = 0; i < 32; i++) {
          idle.push(await Deno.connect({ hostname: "127.0.0.1", port: gw.port }));
        }
        // Accepts are asynchronous: wait until the gateway holds all 32 (the next one is refused).
        let over: { text: string; eof: boolean } | undefined;
        for (let i = 0; i < 100; i++) {
          const extra = await Deno.connect({ hostname: "127.0.0.1", port: gw.port });
          over = await drain(extra, 1_000);
          if (over.text.startsWith("HTTP/1.1 503")) break;
        }
        assert.ok(over?.text.startsWith("HTTP/1.1 503"), over?.text);
        assert.equal(over?.eof, true);
        await client.request("health"); // the established session is not counted
        const closed = await Promise.all(idle.map((c) => drain(c)));
        assert.equal(closed.filter((r) => r.eof).length, 32); // header timeout
        await health(gw.url, gw.token);
      });
      await t.step(
        "slowloris: one header byte a second is closed before the head ends",
        async () => {
          const conn = await Deno.connect({ hostname: "127.0.0.1", port: gw.port });
          const head = new TextEncoder().encode(
            "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(40) + "\r\n\r\n",
          );
          const closed = drain(conn, 60_000);
          let sent = 0;
          let done = false;
          closed.then(() => (done = true));
          while (!done && sent < head.length) {
            try {
              await conn.write(head.subarray(sent, sent + 1));
            } catch {
              break; // closed by the gateway
            }
            sent++;
            await new Promise((r) => setTimeout(r, sent < 20 ? 10 : 1_000));
          }
          const r = await closed;
          assert.equal(r.text, "", "no response to an incomplete head");
          assert.ok(sent < head.length, `the whole head (${head.length} bytes) got through`);
        },
      );
    } finally {
      client.close();
      await gw.stop();
    }
  },
});
