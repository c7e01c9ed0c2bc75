/**
 * A Node `Duplex` over a `Deno.Conn`, for `npm:ws` on the gateway's own listener. Reads go
 * straight to `conn.read` and writes to `conn.write`; `Duplex.fromWeb(conn.readable/writable)`
 * adds web-stream hops per chunk and measured ~10× slower round trips (bench/rpc_bench.ts).
 *
 * The read buffer adapts: an idle connection keeps a pending `conn.read` on a small buffer
 * ({@link MIN_READ_BYTES}), because that buffer lives as long as the connection idles, and with a
 * fixed 64 KiB one 10,000 idle sessions held 640 MiB (issue 8). A read that fills the buffer
 * doubles the next one up to {@link MAX_READ_BYTES}; a read under a quarter of it halves it.
 * Writes that queue up (a `ws` frame is a corked header + payload) leave in one `conn.write`.
 * @module
 */
import { Buffer } from "node:buffer";
import { Duplex } from "node:stream";

/** Smallest read buffer in bytes: what each idle connection holds. */
export const MIN_READ_BYTES = 512;
/** Largest read buffer in bytes, reached after a run of full reads (bulk frames). */
export const MAX_READ_BYTES = 64 * 1024;

/** Wraps `conn`; destroying the stream closes the connection. */
export class ConnDuplex extends Duplex {
  readonly #conn: Deno.Conn;
  #reading = false;
  #readBytes = MIN_READ_BYTES;
  /** The last read buffer, when its bytes were copied out (reused by the next read). */
  #spare: Uint8Array | undefined;

  /** @param conn An accepted TCP or TLS connection (its ownership passes to the stream). */
  constructor(conn: Deno.Conn) {
    super({ allowHalfOpen: false });
    this.#conn = conn;
  }

  /** Size in bytes of the buffer the next read uses (between MIN_READ_BYTES and MAX_READ_BYTES). */
  get readBytes(): number {
    return this.#readBytes;
  }

  override _read(): void {
    if (this.#reading) return;
    this.#reading = true;
    const buf = this.#spare?.length === this.#readBytes
      ? this.#spare
      : new Uint8Array(this.#readBytes);
    this.#spare = undefined;
    this.#conn.read(buf).then((n) => {
      this.#reading = false;
      if (n === null) return void this.push(null);
      const full = n === buf.length;
      if (full) this.#readBytes = Math.min(MAX_READ_BYTES, buf.length * 2);
      else if (n < buf.length / 4) this.#readBytes = Math.max(MIN_READ_BYTES, buf.length / 2);
      // A partial read is copied out, so the chunk ws keeps does not pin the whole buffer, and
      // the buffer serves the next read (no allocation per pong on an idle connection).
      let chunk: Buffer;
      if (full) chunk = Buffer.from(buf.buffer, 0, n);
      else {
        chunk = Buffer.from(buf.subarray(0, n));
        this.#spare = buf;
      }
      if (this.push(chunk)) this._read();
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
    this.#writeAll(chunk).then(() => callback(), (err) => callback(err));
  }

  /**
   * Chunks queued while a write was in flight, or corked together (`ws` corks a frame's header
   * and payload), go out in one `conn.write`: one op and one syscall per frame instead of two.
   */
  override _writev(
    chunks: Array<{ chunk: Uint8Array }>,
    callback: (err?: Error | null) => void,
  ): void {
    const data = chunks.length === 1 ? chunks[0].chunk : Buffer.concat(chunks.map((c) => c.chunk));
    this.#writeAll(data).then(() => callback(), (err) => callback(err));
  }

  async #writeAll(data: Uint8Array): Promise<void> {
    for (let off = 0; off < data.length;) off += await this.#conn.write(data.subarray(off));
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
