import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { ConnDuplex, MAX_READ_BYTES, MIN_READ_BYTES } from "./conn_duplex.ts";

/** A real loopback TCP pair: the accepted side wrapped in a ConnDuplex, the dialled side raw. */
async function duplexPair(): Promise<{ duplex: ConnDuplex; peer: Deno.Conn; close(): void }> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const [accepted, peer] = await Promise.all([
    listener.accept(),
    Deno.connect({ hostname: "127.0.0.1", port: (listener.addr as Deno.NetAddr).port }),
  ]);
  listener.close();
  const duplex = new ConnDuplex(accepted);
  return {
    duplex,
    peer,
    close() {
      duplex.destroy();
      try {
        peer.close();
      } catch { /* closed */ }
    },
  };
}

/**
 * Reads from `duplex` until `bytes` bytes arrived (bounded by `timeoutMs`); also returns the
 * largest read buffer the duplex used meanwhile.
 */
function collect(
  duplex: ConnDuplex,
  bytes: number,
  timeoutMs = 20_000,
): Promise<{ data: Buffer; peakReadBytes: number }> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let got = 0;
    let peakReadBytes = duplex.readBytes;
    const timer = setTimeout(
      () => done(new Error(`only ${got} of ${bytes} bytes arrived`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      parts.push(chunk);
      got += chunk.length;
      peakReadBytes = Math.max(peakReadBytes, duplex.readBytes);
      if (got >= bytes) done();
    };
    const done = (err?: Error) => {
      clearTimeout(timer);
      duplex.off("data", onData);
      duplex.pause();
      if (err) reject(err);
      else resolve({ data: Buffer.concat(parts), peakReadBytes });
    };
    duplex.on("data", onData);
    duplex.resume();
  });
}

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  for (let off = 0; off < data.length;) off += await conn.write(data.subarray(off));
}

Deno.test("ConnDuplex idles on a small read buffer, grows for bulk data, shrinks back", async () => {
  const { duplex, peer, close } = await duplexPair();
  try {
    assert.equal(duplex.readBytes, MIN_READ_BYTES, "an idle connection holds the smallest buffer");

    const bulk = crypto.getRandomValues(new Uint8Array(65_536)); // getRandomValues caps at 64 KiB
    const payload = new Uint8Array(bulk.length * 16);
    for (let i = 0; i < 16; i++) payload.set(bulk, i * bulk.length);
    const received = collect(duplex, payload.length);
    await writeAll(peer, payload);
    const { data, peakReadBytes } = await received;
    assert(Buffer.from(payload).equals(data), "bulk bytes arrive intact and in order");
    assert.equal(peakReadBytes, MAX_READ_BYTES, "a run of full reads grows the buffer");

    for (let i = 0; i < 8; i++) {
      const small = new TextEncoder().encode(`ping ${i}`);
      const got = collect(duplex, small.length);
      await writeAll(peer, small);
      assert.equal(new TextDecoder().decode((await got).data), `ping ${i}`);
    }
    assert.equal(duplex.readBytes, MIN_READ_BYTES, "small reads shrink it back for the idle wait");
  } finally {
    close();
  }
});

Deno.test("ConnDuplex sends corked and queued chunks in one conn.write, bytes in order", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const [accepted, peer] = await Promise.all([
    listener.accept(),
    Deno.connect({ hostname: "127.0.0.1", port: (listener.addr as Deno.NetAddr).port }),
  ]);
  listener.close();
  const writes: number[] = [];
  const counting = {
    read: (p: Uint8Array) => accepted.read(p),
    write: (p: Uint8Array) => (writes.push(p.length), accepted.write(p)),
    close: () => accepted.close(),
  } as unknown as Deno.Conn;
  const duplex = new ConnDuplex(counting);
  try {
    const head = new TextEncoder().encode("frame-header|");
    const body = new TextEncoder().encode("frame-payload");
    await new Promise<void>((resolve, reject) => {
      duplex.cork(); // what ws does for a frame's header and payload
      duplex.write(head);
      duplex.write(body, (err) => (err ? reject(err) : resolve()));
      duplex.uncork();
    });
    assert.deepEqual(writes, [head.length + body.length], "one write for the corked frame");
    const buf = new Uint8Array(64);
    let got = "";
    while (got.length < head.length + body.length) {
      const n = await peer.read(buf);
      if (n === null) break;
      got += new TextDecoder().decode(buf.subarray(0, n));
    }
    assert.equal(got, "frame-header|frame-payload");
  } finally {
    duplex.destroy();
    peer.close();
  }
});
