// deno-lint-ignore-file no-console -- handshake timings are part of the test output
/**
 * Unit tests for the pin format and the pinned `wss://` client, against an in-process
 * `Deno.serve` over TLS (real sockets, a fixed self-signed P-256 certificate valid until 2126).
 * @module
 */
import assert from "node:assert/strict";
import { pemCertificateFingerprint, pemCertificateToDer } from "../gateway/tls.ts";
import { TransportError } from "./errors.ts";
import { normalizeFingerprint, openPinnedWebSocket } from "./pinned_tls.ts";
import { openWebSocket, type WebSocketLike } from "./websocket_open.ts";

const CERT = `-----BEGIN CERTIFICATE-----
MIIBkDCCATagAwIBAgIUKrNdzIDpfnGHPkbjJpXocZ3sGtswCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTEyMjIzMTAwNVoYDzIxMjYxMDI5
MjMxMDA1WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAATadF7YiUNrFzuXvokRAFmuwp0bmR0dS+Gh1nvI/GGrmDfuHaNV17CF
xJsyugAqR7QLizkI2hAXfHlxdHyttl3co2QwYjAdBgNVHQ4EFgQUFjvW8N+1o2/j
hdxgjtTZ86CVe8QwHwYDVR0jBBgwFoAUFjvW8N+1o2/jhdxgjtTZ86CVe8QwDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC
ICgLLcWiVef/GYE2S7d4YyFlm8WTOUsNF3VUrPV3oqNWAiEArqQfnXv9tRUpy5ep
xf5E92PSbHzsh7P1f/faqnpU+qg=
-----END CERTIFICATE-----
`;
const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgLHcuPH9UhOmRi39Q
RSmIoQv9Noi4jSAT6xpSjrYOlB2hRANCAATadF7YiUNrFzuXvokRAFmuwp0bmR0d
S+Gh1nvI/GGrmDfuHaNV17CFxJsyugAqR7QLizkI2hAXfHlxdHyttl3c
-----END PRIVATE KEY-----
`;
/** `openssl x509 -in cert.pem -noout -fingerprint -sha256` of {@linkcode CERT}. */
const OPENSSL_FP =
  "D8:15:BA:9E:9E:9E:0C:3D:91:6D:EC:03:98:87:BA:AD:1A:8F:CE:05:01:38:FC:BC:D1:C4:AE:53:C0:9D:B9:94";
const HEX = OPENSSL_FP.replaceAll(":", "").toLowerCase();

Deno.test("normalizeFingerprint: hex, colon pairs, sha256: prefix, case, junk", () => {
  assert.equal(normalizeFingerprint(HEX), HEX);
  assert.equal(normalizeFingerprint(HEX.toUpperCase()), HEX);
  assert.equal(normalizeFingerprint(OPENSSL_FP), HEX);
  assert.equal(normalizeFingerprint(`sha256:${OPENSSL_FP}`), HEX);
  assert.equal(normalizeFingerprint(`  SHA256:${HEX}\n`), HEX);
  assert.equal(normalizeFingerprint(HEX.slice(2)), undefined);
  assert.equal(normalizeFingerprint(HEX + "00"), undefined);
  assert.equal(normalizeFingerprint("zz" + HEX.slice(2)), undefined);
  assert.equal(normalizeFingerprint("sha1:" + HEX), undefined);
  assert.equal(normalizeFingerprint(""), undefined);
});

Deno.test("PEM → DER → SHA-256 matches openssl", async () => {
  assert.equal(await pemCertificateFingerprint(CERT), HEX);
  // A chain and surrounding text: the first block counts.
  assert.equal(await pemCertificateFingerprint(`junk\n${CERT}${CERT}`), HEX);
  assert.equal(pemCertificateToDer(CERT)[0], 0x30); // DER SEQUENCE
  assert.throws(() => pemCertificateToDer(KEY), SyntaxError);
  assert.throws(
    () => pemCertificateToDer("-----BEGIN CERTIFICATE-----\n@@@\n-----END CERTIFICATE-----"),
    SyntaxError,
  );
});

/** An echo server: text `close:<code>` makes the server close with that code. */
function echoServer(tls: boolean) {
  const server = Deno.serve(
    {
      hostname: "127.0.0.1",
      port: 0,
      onListen: () => {},
      ...(tls ? { cert: CERT, key: KEY } : {}),
    },
    (req) => {
      if (req.headers.get("upgrade") !== "websocket") return new Response("plain", { status: 200 });
      const { socket, response } = Deno.upgradeWebSocket(req);
      socket.onmessage = (ev) => {
        const text = String(ev.data);
        if (text.startsWith("close:")) socket.close(Number(text.slice(6)), "server says bye");
        else socket.send(`echo:${text.length}:${text.slice(0, 16)}`);
      };
      return response;
    },
  );
  const port = (server.addr as Deno.NetAddr).port;
  return { server, url: `${tls ? "wss" : "ws"}://127.0.0.1:${port}`, port };
}

function nextMessage(ws: WebSocketLike): Promise<string | Uint8Array> {
  return new Promise((r) => (ws.onmessage = r));
}
function closed(ws: WebSocketLike): Promise<[number, string]> {
  return new Promise((r) => (ws.onclose = (code, reason) => r([code, reason])));
}

Deno.test("pinned wss: right pin (any form) echoes text, 64-bit lengths, close both ways", async () => {
  const { server, url } = echoServer(true);
  try {
    for (const pin of [HEX, OPENSSL_FP, `sha256:${HEX.toUpperCase()}`]) {
      const ws = await openPinnedWebSocket(url, pin, 5_000);
      ws.send("hello");
      assert.equal(await nextMessage(ws), "echo:5:hello");
      const big = "é".repeat(70_000); // 140 000 bytes: 64-bit payload length
      ws.send(big);
      assert.equal(await nextMessage(ws), `echo:70000:${big.slice(0, 16)}`);
      assert.equal(typeof ws.bufferedAmount, "number");
      const done = closed(ws);
      ws.close(1000, "client bye");
      assert.equal((await done)[0], 1000);
    }
    const ws = await openPinnedWebSocket(url, HEX, 5_000);
    const done = closed(ws);
    ws.send("close:4001");
    assert.deepEqual(await done, [4001, "server says bye"]);
    ws.send("after close is a no-op");
    ws.close();
  } finally {
    await server.shutdown();
  }
});

Deno.test("pinned wss: mismatch, malformed pin, ws:// URL, refused, timeout", async () => {
  const { server, url } = echoServer(true);
  try {
    const wrong = "ab".repeat(32);
    const err = await openPinnedWebSocket(url, wrong, 5_000).catch((e) => e);
    assert.ok(err instanceof TransportError);
    assert.equal(err.kind, "tls");
    assert.equal(err.message, `gateway tls fingerprint mismatch: expected ${wrong}, got ${HEX}`);
    const bad = await openPinnedWebSocket(url, "nope", 5_000).catch((e) => e);
    assert.equal(bad.kind, "tls");
    assert.match(bad.message, /Invalid TLS fingerprint/);
    const plain = await openWebSocket(url.replace("wss:", "ws:"), {
      timeoutMs: 5_000,
      tlsFingerprint: HEX,
    }).catch((e) => e);
    assert.equal(plain.kind, "tls");
    assert.match(plain.message, /needs a wss:\/\/ URL/);
  } finally {
    await server.shutdown();
  }
  // Nothing listening any more on that port.
  const refused = await openPinnedWebSocket(url, HEX, 5_000).catch((e) => e);
  assert.equal(refused.kind, "refused");
  assert.match(refused.message, /connection refused/);
  // A listener that accepts TCP but never speaks TLS.
  const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const c of silent) conns.push(c);
  })();
  try {
    const t0 = performance.now();
    const port = (silent.addr as Deno.NetAddr).port;
    const timeout = await openPinnedWebSocket(`wss://127.0.0.1:${port}`, HEX, 300).catch((e) => e);
    assert.equal(timeout.kind, "timeout");
    assert.ok(performance.now() - t0 < 2_000);
  } finally {
    silent.close();
    for (const c of conns) c.close();
    await accepting.catch(() => {});
  }
});

Deno.test("pinned wss: a plain HTTP answer to the upgrade is refused cleanly", async () => {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {}, cert: CERT, key: KEY },
    () => new Response("no websockets here", { status: 404 }),
  );
  try {
    const url = `wss://127.0.0.1:${(server.addr as Deno.NetAddr).port}`;
    const err = await openPinnedWebSocket(url, HEX, 5_000).catch((e) => e);
    assert.ok(err instanceof TransportError);
    assert.equal(err.kind, "refused");
    assert.match(err.message, /HTTP 404/);
  } finally {
    await server.shutdown();
  }
});

Deno.test("handshake time: pinned wss vs plain ws (in-process, loopback)", async () => {
  const tlsSrv = echoServer(true);
  const plainSrv = echoServer(false);
  const runs = 10;
  const time = async (open: () => Promise<WebSocketLike>) => {
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const ws = await open();
      ws.send("x");
      await nextMessage(ws);
      samples.push(performance.now() - t0);
      const done = closed(ws);
      ws.close(1000);
      await done;
    }
    samples.sort((a, b) => a - b);
    return { max: samples.at(-1)!, median: samples[Math.floor(runs / 2)] };
  };
  try {
    const pinned = await time(() => openPinnedWebSocket(tlsSrv.url, HEX, 5_000));
    const plain = await time(() => openWebSocket(plainSrv.url, { timeoutMs: 5_000 }));
    console.log(
      `open+1 round trip over ${runs} runs: pinned wss median ${pinned.median.toFixed(1)} ms ` +
        `(max ${pinned.max.toFixed(1)}), plain ws median ${plain.median.toFixed(1)} ms ` +
        `(max ${plain.max.toFixed(1)})`,
    );
    assert.ok(pinned.median < 1_000);
  } finally {
    await tlsSrv.server.shutdown();
    await plainSrv.server.shutdown();
  }
});

Deno.test("openWebSocket() with a pin gives up at once when its signal aborts", async () => {
  const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const c of silent) conns.push(c);
  })();
  try {
    const port = (silent.addr as Deno.NetAddr).port;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const t0 = performance.now();
    const err = await openWebSocket(`wss://127.0.0.1:${port}`, {
      timeoutMs: 1_000,
      tlsFingerprint: HEX,
      signal: controller.signal,
    }).catch((e) => e);
    assert.equal(err.kind, "closed");
    assert.match(err.message, /aborted/);
    assert.ok(performance.now() - t0 < 800, `took ${performance.now() - t0}ms`);
    // Let the abandoned attempt reach its own 1 s deadline before the listener goes away.
    await new Promise((r) => setTimeout(r, 1_200));
  } finally {
    silent.close();
    for (const c of conns) c.close();
    await accepting.catch(() => {});
  }
});
