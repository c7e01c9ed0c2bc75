import assert from "node:assert/strict";
import {
  encodeCloseFrame,
  encodeFrame,
  FrameDecoder,
  type FrameSink,
  isValidCloseCode,
  Opcode,
} from "./ws_frame.ts";

type Event =
  | ["message", string | Uint8Array]
  | ["ping", Uint8Array]
  | ["pong"]
  | ["close", number, string]
  | ["error", number, string];

function collector(): { sink: FrameSink; events: Event[] } {
  const events: Event[] = [];
  return {
    events,
    sink: {
      onMessage: (d) => void events.push(["message", d]),
      onPing: (p) => void events.push(["ping", p.slice()]),
      onPong: () => void events.push(["pong"]),
      onCloseFrame: (c, r) => void events.push(["close", c, r]),
      onProtocolError: (c, r) => void events.push(["error", c, r]),
    },
  };
}

/** A client frame: masked unless `masked: false`; `lenBytes` forces a length encoding. */
function clientFrame(
  opcode: number,
  payload: Uint8Array | string,
  opts: { fin?: boolean; masked?: boolean; rsv?: number; lenBytes?: 0 | 2 | 8 } = {},
): Uint8Array {
  const data = typeof payload === "string" ? new TextEncoder().encode(payload) : payload;
  const masked = opts.masked ?? true;
  const len = data.length;
  const lenBytes = opts.lenBytes ?? (len < 126 ? 0 : len < 0x10000 ? 2 : 8);
  const hdr = 2 + lenBytes + (masked ? 4 : 0);
  const out = new Uint8Array(hdr + len);
  out[0] = ((opts.fin ?? true) ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | opcode;
  out[1] = (masked ? 0x80 : 0) | (lenBytes === 0 ? len : lenBytes === 2 ? 126 : 127);
  const view = new DataView(out.buffer);
  if (lenBytes === 2) view.setUint16(2, len);
  if (lenBytes === 8) view.setBigUint64(2, BigInt(len));
  const key = [0x37, 0xfa, 0x21, 0x3d];
  if (masked) out.set(key, 2 + lenBytes);
  for (let i = 0; i < len; i++) out[hdr + i] = masked ? data[i] ^ key[i & 3] : data[i];
  return out;
}

function decodeAll(chunks: Uint8Array[], maxPayload = 1 << 20): Event[] {
  const { sink, events } = collector();
  const d = new FrameDecoder(sink, maxPayload);
  for (const c of chunks) d.push(c);
  return events;
}

/** Feeds `bytes` one byte at a time (every header and payload split). */
function byteByByte(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (b) => Uint8Array.of(b));
}

Deno.test("FrameDecoder unmasks text with 7-, 16- and 64-bit lengths, whole or byte by byte", () => {
  for (const [size, lenBytes] of [[5, 0], [125, 0], [126, 2], [300, 2], [70_000, 8], [10, 8]]) {
    const text = "é".repeat(size / 2) + "x".repeat(size % 2);
    const frame = clientFrame(Opcode.TEXT, text, { lenBytes: lenBytes as 0 | 2 | 8 });
    assert.deepEqual(decodeAll([frame]), [["message", text]], `size ${size}`);
    if (size < 1000) assert.deepEqual(decodeAll(byteByByte(frame)), [["message", text]]);
  }
});

Deno.test("FrameDecoder grows a large frame's buffer as its bytes arrive, in any chunking", () => {
  const data = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) & 0xff);
  const frame = clientFrame(Opcode.BINARY, data);
  for (const size of [1_000, 65_536, 100_003]) {
    const chunks = [];
    for (let at = 0; at < frame.length; at += size) chunks.push(frame.subarray(at, at + size));
    assert.deepEqual(decodeAll(chunks), [["message", data]], `chunks of ${size}`);
  }
});

Deno.test("FrameDecoder reassembles fragments, with control frames between them", () => {
  const bytes = concat([
    clientFrame(Opcode.TEXT, "hel", { fin: false }),
    clientFrame(Opcode.PING, "p1"),
    clientFrame(Opcode.CONTINUATION, "lo ", { fin: false }),
    clientFrame(Opcode.PONG, ""),
    clientFrame(Opcode.CONTINUATION, "world"),
    clientFrame(Opcode.BINARY, Uint8Array.of(1, 2), { fin: false }),
    clientFrame(Opcode.CONTINUATION, Uint8Array.of(3)),
    clientFrame(Opcode.TEXT, ""),
  ]);
  const expected: Event[] = [
    ["ping", new TextEncoder().encode("p1")],
    ["pong"],
    ["message", "hello world"],
    ["message", Uint8Array.of(1, 2, 3)],
    ["message", ""],
  ];
  assert.deepEqual(decodeAll([bytes]), expected);
  assert.deepEqual(decodeAll(byteByByte(bytes)), expected);
});

Deno.test("FrameDecoder reports close frames: code and reason, or 1005 when empty", () => {
  const withCode = clientFrame(Opcode.CLOSE, Uint8Array.of(0x0f, 0xa0, 0x62, 0x79, 0x65));
  assert.deepEqual(decodeAll([withCode]), [["close", 4000, "bye"]]);
  assert.deepEqual(decodeAll([clientFrame(Opcode.CLOSE, "")]), [["close", 1005, ""]]);
});

Deno.test("FrameDecoder fails with 1002 on every protocol violation, once, and stops", () => {
  const cases: Array<[string, Uint8Array]> = [
    ["unmasked frame", clientFrame(Opcode.TEXT, "hi", { masked: false })],
    ["RSV1 (no extension negotiated)", clientFrame(Opcode.TEXT, "hi", { rsv: 4 })],
    ["RSV3", clientFrame(Opcode.TEXT, "hi", { rsv: 1 })],
    ["opcode 3", clientFrame(3, "x")],
    ["opcode 0xB", clientFrame(0xb, "x")],
    ["fragmented ping", clientFrame(Opcode.PING, "x", { fin: false })],
    ["ping of 126 bytes", clientFrame(Opcode.PING, new Uint8Array(126))],
    ["continuation first", clientFrame(Opcode.CONTINUATION, "x")],
    [
      "text inside a fragmented message",
      concat([clientFrame(Opcode.TEXT, "a", { fin: false }), clientFrame(Opcode.TEXT, "b")]),
    ],
    ["close with a 1-byte payload", clientFrame(Opcode.CLOSE, Uint8Array.of(3))],
    ["close code 1005", clientFrame(Opcode.CLOSE, Uint8Array.of(0x03, 0xed))],
    ["close code 999", clientFrame(Opcode.CLOSE, Uint8Array.of(0x03, 0xe7))],
    ["close code 5000", clientFrame(Opcode.CLOSE, Uint8Array.of(0x13, 0x88))],
  ];
  const topBit = clientFrame(Opcode.TEXT, "", { lenBytes: 8 });
  topBit[2] = 0x80;
  cases.push(["64-bit length with the top bit set", topBit]);
  for (const [name, bytes] of cases) {
    const events = decodeAll([bytes, clientFrame(Opcode.TEXT, "after")]);
    assert.equal(events.length, 1, `${name}: ${JSON.stringify(events)}`);
    assert.equal(events[0][0], "error", name);
    assert.equal(events[0][1], 1002, name);
  }
});

Deno.test("FrameDecoder fails with 1007 on invalid UTF-8 in text or close reason", () => {
  const bad = Uint8Array.of(0x61, 0xff, 0x62);
  assert.deepEqual(decodeAll([clientFrame(Opcode.TEXT, bad)])[0].slice(0, 2), ["error", 1007]);
  // A code point split across fragments is valid; a truncated one at the end is not.
  const euro = new TextEncoder().encode("€");
  assert.deepEqual(
    decodeAll([
      clientFrame(Opcode.TEXT, euro.subarray(0, 1), { fin: false }),
      clientFrame(Opcode.CONTINUATION, euro.subarray(1)),
    ]),
    [["message", "€"]],
  );
  assert.deepEqual(
    decodeAll([clientFrame(Opcode.TEXT, euro.subarray(0, 2))])[0].slice(0, 2),
    ["error", 1007],
  );
  // A real U+FFFD is valid text (the fast decode sees it, the strict one accepts it).
  assert.deepEqual(decodeAll([clientFrame(Opcode.TEXT, "a\uFFFDb")]), [["message", "a\uFFFDb"]]);
  const closeBad = clientFrame(Opcode.CLOSE, Uint8Array.of(0x03, 0xe8, 0xff));
  assert.deepEqual(decodeAll([closeBad])[0].slice(0, 2), ["error", 1007]);
});

Deno.test("FrameDecoder fails with 1009 from the header, before the payload arrives", () => {
  const big = clientFrame(Opcode.TEXT, "x".repeat(1025));
  // Only the header is pushed: the limit is decided without the payload.
  assert.deepEqual(decodeAll([big.subarray(0, 8)], 1024)[0].slice(0, 2), ["error", 1009]);
  assert.deepEqual(decodeAll([clientFrame(Opcode.TEXT, "x".repeat(1024))], 1024), [
    ["message", "x".repeat(1024)],
  ]);
  // The limit is on the message: fragments add up.
  const frags = [
    clientFrame(Opcode.TEXT, "x".repeat(600), { fin: false }),
    clientFrame(Opcode.CONTINUATION, "x".repeat(600)).subarray(0, 8),
  ];
  assert.deepEqual(decodeAll(frags, 1024)[0].slice(0, 2), ["error", 1009]);
  // A 2^53-ish 64-bit length is simply too big.
  const huge = clientFrame(Opcode.BINARY, "", { lenBytes: 8 });
  huge[2] = 0x7f;
  assert.deepEqual(decodeAll([huge], 1024)[0].slice(0, 2), ["error", 1009]);
  // Raised limit applies from the next frame.
  const { sink, events } = collector();
  const d = new FrameDecoder(sink, 10);
  d.maxPayload = 2000;
  d.push(clientFrame(Opcode.TEXT, "y".repeat(1500)));
  assert.deepEqual(events, [["message", "y".repeat(1500)]]);
});

Deno.test("encodeFrame writes unmasked 7-, 16- and 64-bit lengths; close frames carry the code", () => {
  for (const [len, hdr, marker] of [[0, 2, 0], [125, 2, 125], [126, 4, 126], [65_536, 10, 127]]) {
    const f = encodeFrame(Opcode.BINARY, new Uint8Array(len).fill(7));
    assert.equal(f.length, hdr + len);
    assert.equal(f[0], 0x82);
    assert.equal(f[1], marker, "no mask bit from the server");
    if (hdr === 4) assert.equal((f[2] << 8) | f[3], len);
    if (hdr === 10) assert.equal(new DataView(f.buffer).getBigUint64(2), BigInt(len));
  }
  const close = encodeCloseFrame(1009, "r".repeat(200));
  assert.equal(close[1], 125, "reason cut to the control-frame limit");
  assert.equal((close[2] << 8) | close[3], 1009);
  assert.deepEqual([...encodeCloseFrame()], [0x88, 0]);
  assert.ok(isValidCloseCode(1000) && isValidCloseCode(4999) && !isValidCloseCode(1006));
});

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
