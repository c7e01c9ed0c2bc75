/**
 * The gateway's own RFC 6455 framing (src/transport/ws_frame.ts, ws_conn_socket.ts) against real
 * peers on a real `gateway run`: Deno's native WebSocket, `npm:ws` as a client (fragmented
 * messages, pings with payloads, binary, close codes) and a raw TCP socket for the opening
 * handshake and malformed frames. A bad frame closes its own connection with the RFC's code;
 * the gateway keeps serving.
 */
import assert from "node:assert/strict";
import * as ws from "ws";
import { runClawgate, startGatewayProcess } from "./helpers/cli.ts";
import { connectFrame, openRaw } from "./helpers/raw_ws.ts";

const gw = await startGatewayProcess();
const WsClient = (ws as unknown as { WebSocket: WsClientConstructor }).WebSocket;

interface WsClientSocket {
  on(event: string, fn: (...args: unknown[]) => void): void;
  once(event: string, fn: (...args: unknown[]) => void): void;
  send(data: string | Uint8Array, opts?: { fin?: boolean; binary?: boolean }): void;
  ping(data?: Uint8Array): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
}
type WsClientConstructor = new (url: string, opts?: Record<string, unknown>) => WsClientSocket;

/** An `npm:ws` client with its messages and close collected. */
function wsClient(opts: Record<string, unknown> = {}) {
  const sock = new WsClient(gw.url, opts);
  const messages: string[] = [];
  const waiters: Array<() => void> = [];
  const notify = () => waiters.splice(0).forEach((w) => w());
  let close: { code: number; reason: string } | undefined;
  let pong: Uint8Array | undefined;
  let headers: Record<string, string> = {};
  sock.on(
    "upgrade",
    (res) => void (headers = (res as { headers: Record<string, string> }).headers),
  );
  sock.on("message", (d) => {
    messages.push(String(d));
    notify();
  });
  sock.on("pong", (d) => {
    pong = new Uint8Array(d as Uint8Array);
    notify();
  });
  sock.on("close", (code, reason) => {
    close = { code: code as number, reason: String(reason) };
    notify();
  });
  sock.on("error", () => {});
  const until = <T>(get: () => T | undefined, what: string, ms = 10_000): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
      const check = () => {
        const v = get();
        if (v === undefined) return void waiters.push(check);
        clearTimeout(timer);
        resolve(v);
      };
      check();
    });
  return {
    sock,
    headers: () => headers,
    message: (n: number) => until(() => messages[n - 1], `message ${n}`),
    pong: () => until(() => pong, "pong"),
    closed: () => until(() => close, "close"),
  };
}

/**
 * A raw TCP connection: write bytes, read everything until EOF. Once the server's close frame
 * arrived it answers with a close frame and ends its side, as clients do.
 */
async function rawConn() {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port: gw.port });
  let all = new Uint8Array(0);
  const ended = (async () => {
    const buf = new Uint8Array(65_536);
    let answered = false;
    while (true) {
      const n = await conn.read(buf).catch(() => null);
      if (n === null) break;
      const next = new Uint8Array(all.length + n);
      next.set(all);
      next.set(buf.subarray(0, n), all.length);
      all = next;
      if (!answered && closeCodeIn(all) !== undefined) {
        answered = true;
        await conn.write(frame(0x88, new Uint8Array(0))).catch(() => 0);
        try {
          conn.closeWrite();
        } catch { /* closed */ }
      }
    }
    conn.close();
    return all;
  })();
  return {
    write: async (b: Uint8Array | string) => {
      const bytes = typeof b === "string" ? new TextEncoder().encode(b) : b;
      for (let off = 0; off < bytes.length;) off += await conn.write(bytes.subarray(off));
    },
    ended,
  };
}

const KEY = "dGhlIHNhbXBsZSBub25jZQ==";
const upgradeHead = (extra = "", version = "13") =>
  `GET / HTTP/1.1\r\nHost: 127.0.0.1:${gw.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
  `Sec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: ${version}\r\n${extra}\r\n`;

/** A masked client frame. */
function frame(byte0: number, payload: Uint8Array, opts: { masked?: boolean } = {}): Uint8Array {
  const masked = opts.masked ?? true;
  const len = payload.length;
  const ext = len < 126 ? 0 : len < 65_536 ? 2 : 8;
  const out = new Uint8Array(2 + ext + (masked ? 4 : 0) + len);
  out[0] = byte0;
  out[1] = (masked ? 0x80 : 0) | (ext === 0 ? len : ext === 2 ? 126 : 127);
  if (ext === 2) new DataView(out.buffer).setUint16(2, len);
  if (ext === 8) new DataView(out.buffer).setBigUint64(2, BigInt(len));
  out.set(payload, 2 + ext + (masked ? 4 : 0)); // masking key 0: payload unchanged
  return out;
}

/** The close code in the server's last frame of `bytes` (after the 101 head). */
function closeCodeIn(bytes: Uint8Array): number | undefined {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (
      bytes[i] === 0x88 && bytes[i + 1] >= 2 && bytes[i + 1] <= 125 &&
      i + 2 + bytes[i + 1] === bytes.length
    ) {
      return (bytes[i + 2] << 8) | bytes[i + 3];
    }
  }
  return undefined;
}

async function assertStillServes(): Promise<void> {
  const r = await runClawgate(["health", "--json", "--url", gw.url, "--token", gw.token]);
  assert.equal(r.code, 0, r.stderr);
}

Deno.test({
  name: "gateway framing: real clients and malformed frames",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    try {
      await t.step("101 carries the RFC accept key and refuses permessage-deflate", async () => {
        const c = await rawConn();
        await c.write(upgradeHead("Sec-WebSocket-Extensions: permessage-deflate\r\n"));
        await c.write(frame(0x88, Uint8Array.of(0x03, 0xe8)));
        const text = new TextDecoder().decode(await c.ended);
        assert.match(text, /^HTTP\/1\.1 101 /);
        assert.match(text, /\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=\r\n/i);
        assert.doesNotMatch(text, /Sec-WebSocket-Extensions/i);
        assert.match(text, /connect\.challenge/, "challenge sent after the 101");
      });

      await t.step("version 8 gets 426 with Sec-WebSocket-Version: 13; a bad key 400", async () => {
        let c = await rawConn();
        await c.write(upgradeHead("", "8"));
        let text = new TextDecoder().decode(await c.ended);
        assert.match(text, /^HTTP\/1\.1 426 /);
        assert.match(text, /\r\nsec-websocket-version: 13\r\n/i);
        c = await rawConn();
        await c.write(upgradeHead().replace(KEY, "c2hvcnQ="));
        text = new TextDecoder().decode(await c.ended);
        assert.match(text, /^HTTP\/1\.1 400 /);
      });

      await t.step("native WebSocket: handshake and a session", async () => {
        const s = await openRaw(gw.url);
        await s.frame(1);
        s.send(connectFrame({ auth: { token: gw.token } }));
        assert.equal((await s.frame(2)).ok, true);
        s.close();
        await s.closed();
      });

      await t.step(
        "npm:ws: a fragmented connect, ping payload echoed, close code echoed",
        async () => {
          const c = wsClient({ perMessageDeflate: true });
          assert.match(await c.message(1), /connect\.challenge/);
          assert.equal(c.headers()["sec-websocket-extensions"], undefined);
          const text = connectFrame({ auth: { token: gw.token } });
          const third = Math.floor(text.length / 3);
          c.sock.send(text.slice(0, third), { fin: false });
          c.sock.ping(Uint8Array.of(1, 2, 3)); // between fragments
          c.sock.send(text.slice(third, 2 * third), { fin: false });
          c.sock.send(text.slice(2 * third), { fin: true });
          assert.deepEqual([...await c.pong()], [1, 2, 3]);
          assert.match(await c.message(2), /"ok":true/);
          c.sock.close(4001, "bye");
          assert.equal((await c.closed()).code, 4001);
        },
      );

      await t.step("npm:ws: binary is refused 1008; 70 KB before hello-ok 1009", async () => {
        let c = wsClient();
        await c.message(1);
        c.sock.send(Uint8Array.of(1, 2, 3), { binary: true });
        assert.equal((await c.closed()).code, 1008);
        c = wsClient();
        await c.message(1);
        c.sock.send("x".repeat(70_000));
        assert.equal((await c.closed()).code, 1009);
      });

      const bad: Array<[string, Uint8Array, number]> = [
        ["unmasked text", frame(0x81, new TextEncoder().encode("{}"), { masked: false }), 1002],
        ["reserved bit RSV1", frame(0xc1, new TextEncoder().encode("{}")), 1002],
        ["opcode 3", frame(0x83, new Uint8Array(1)), 1002],
        ["ping of 126 bytes", frame(0x89, new Uint8Array(126)), 1002],
        ["close code 1006", frame(0x88, Uint8Array.of(0x03, 0xee)), 1002],
        ["invalid UTF-8 text", frame(0x81, Uint8Array.of(0x7b, 0xff, 0x7d)), 1007],
        // Only the header of a 200 KiB frame: refused before its payload is sent.
        [
          "200 KiB frame header before hello-ok",
          frame(0x81, new Uint8Array(204_800)).subarray(0, 14),
          1009,
        ],
      ];
      for (const [name, bytes, code] of bad) {
        await t.step(`raw: ${name} → close ${code}, the gateway keeps serving`, async () => {
          const c = await rawConn();
          await c.write(upgradeHead());
          await c.write(bytes);
          const got = await c.ended;
          assert.equal(closeCodeIn(got), code, name);
          await assertStillServes();
        });
      }
    } finally {
      await gw.stop();
    }
  },
});
