/**
 * A Node `Duplex` over a `Deno.Conn`, for `npm:ws` on the gateway's own listener. Reads go
 * straight to `conn.read` and writes to `conn.write`; `Duplex.fromWeb(conn.readable/writable)`
 * adds web-stream hops per chunk and measured ~10× slower round trips (bench/rpc_bench.ts).
 * @module
 */
import { Buffer } from "node:buffer";
import { Duplex } from "node:stream";

const READ_CHUNK_BYTES = 64 * 1024;

/** Wraps `conn`; destroying the stream closes the connection. */
export class ConnDuplex extends Duplex {
  readonly #conn: Deno.Conn;
  #reading = false;

  /** @param conn An accepted TCP or TLS connection (its ownership passes to the stream). */
  constructor(conn: Deno.Conn) {
    super({ allowHalfOpen: false });
    this.#conn = conn;
  }

  override _read(): void {
    if (this.#reading) return;
    this.#reading = true;
    const buf = new Uint8Array(READ_CHUNK_BYTES);
    this.#conn.read(buf).then((n) => {
      this.#reading = false;
      if (n === null) return void this.push(null);
      if (this.push(Buffer.from(buf.buffer, 0, n))) this._read();
    }, (err) => {
      this.#reading = false;
      this.destroy(err instanceof Deno.errors.BadResource ? undefined : err);
    });
  }

  override _write(
    chunk: Uint8Array,
    _encoding: string,
    callback: (err?: Error | null) => void,
  ): void {
    (async () => {
      for (let off = 0; off < chunk.length;) off += await this.#conn.write(chunk.subarray(off));
    })().then(() => callback(), (err) => callback(err));
  }

  override _final(callback: (err?: Error | null) => void): void {
    try {
      (this.#conn as Partial<Deno.TcpConn>).closeWrite?.();
    } catch { /* closed */ }
    callback();
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    try {
      this.#conn.close();
    } catch { /* closed */ }
    callback(err);
  }
}
