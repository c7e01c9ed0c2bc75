/**
 * HTTP/1.1 on the wire for the gateway listener: read one request head with a deadline and a
 * size cap, write one response with `Connection: close`. Request bodies are never read (the
 * gateway serves `GET` only).
 *
 * Source: RFC 9112 §2–§5 (message format), §9.6 (`Connection: close`).
 * @module
 */

/** A parsed request head, or why there is none (`status` to answer, if any). */
export type RequestHead =
  | {
    ok: true;
    method: string;
    target: string;
    headers: Headers;
    /** The Host header, when it is a plausible `host[:port]`. */
    host: string;
    hostHeaderValid: boolean;
    /** Bytes read past the head (the start of a WebSocket stream). */
    rest: Uint8Array;
  }
  | { ok: false; status?: 400 | 431 };

const CRLFCRLF = [13, 10, 13, 10];
const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/**
 * Reads one request head from `conn`.
 *
 * @param limits.headerTimeoutMs The head must be complete within this many ms; past it the
 *   connection is closed and the read rejects.
 * @param limits.maxHeaderBytes Larger heads give `{ok:false, status:431}`.
 * @returns The head; `{ok:false}` on EOF before a full head or a malformed head (`status:400`).
 * @throws {Error} When the read fails (reset, TLS error, or closed by the timeout).
 */
export async function readRequestHead(
  conn: Deno.Conn,
  limits: { headerTimeoutMs: number; maxHeaderBytes: number },
): Promise<RequestHead> {
  const timer = setTimeout(() => {
    try {
      conn.close();
    } catch { /* closed */ }
  }, limits.headerTimeoutMs);
  try {
    let buf = new Uint8Array(0);
    let scanFrom = 0;
    while (true) {
      const chunk = new Uint8Array(4096);
      const n = await conn.read(chunk);
      if (n === null) return { ok: false };
      const next = new Uint8Array(buf.length + n);
      next.set(buf);
      next.set(chunk.subarray(0, n), buf.length);
      buf = next;
      const end = indexOf(buf, CRLFCRLF, Math.max(0, scanFrom - 3));
      if (end >= 0) {
        if (end + 4 > limits.maxHeaderBytes) return { ok: false, status: 431 };
        return parseHead(new TextDecoder().decode(buf.subarray(0, end)), buf.slice(end + 4));
      }
      if (buf.length > limits.maxHeaderBytes) return { ok: false, status: 431 };
      scanFrom = buf.length;
    }
  } finally {
    clearTimeout(timer);
  }
}

function parseHead(text: string, rest: Uint8Array): RequestHead {
  const lines = text.split("\r\n");
  const m = /^([A-Z]{1,16}) (\S+) HTTP\/1\.[01]$/.exec(lines[0]);
  if (!m) return { ok: false, status: 400 };
  const headers = new Headers();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0 || /^\s/.test(line)) return { ok: false, status: 400 };
    try {
      headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    } catch {
      return { ok: false, status: 400 };
    }
  }
  const target = m[2].startsWith("/") ? m[2] : "/";
  const host = headers.get("host") ?? "";
  return {
    ok: true,
    method: m[1],
    target,
    headers,
    host,
    hostHeaderValid: /^[a-zA-Z0-9.\-]+(:\d{1,5})?$|^\[[0-9a-fA-F:.]+\](:\d{1,5})?$/.test(host),
    rest,
  };
}

function indexOf(hay: Uint8Array, needle: number[], from: number): number {
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Writes `res` as an HTTP/1.1 response with `Content-Length` and `Connection: close`. Never
 * throws: a peer that went away is ignored.
 *
 * @param headOnly Omit the body (`HEAD` requests).
 */
export async function writeResponse(
  conn: Deno.Conn,
  res: Response,
  headOnly: boolean,
): Promise<void> {
  try {
    const body = new Uint8Array(await res.arrayBuffer());
    let head = `HTTP/1.1 ${res.status} ${
      res.statusText || STATUS_TEXT[res.status] || "Unknown"
    }\r\n`;
    res.headers.forEach((value, name) => {
      if (!["content-length", "connection", "transfer-encoding"].includes(name)) {
        head += `${name}: ${value}\r\n`;
      }
    });
    head += `content-length: ${body.length}\r\nconnection: close\r\n\r\n`;
    const headBytes = new TextEncoder().encode(head);
    const out = new Uint8Array(headBytes.length + (headOnly ? 0 : body.length));
    out.set(headBytes);
    if (!headOnly) out.set(body, headBytes.length);
    for (let off = 0; off < out.length;) off += await conn.write(out.subarray(off));
  } catch {
    // The peer went away.
  }
}
