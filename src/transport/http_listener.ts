/**
 * The gateway's own TCP/TLS listener with a minimal HTTP/1.1 front: one request per connection
 * (`Connection: close`), WebSocket upgrades framed by our own RFC 6455 code (ws_conn_socket.ts).
 *
 * Why not `Deno.serve`: in Deno 2.9 its accept loop ends on the first accept error, so EMFILE
 * ("Too many open files") surfaces as an uncaught `Http` error and the process exits 1; it has
 * no header-read timeout and no per-IP limit on connections that have not sent a request
 * (measured in bench/hardening_sockets.ts; node:net/node:http survive EMFILE but stop
 * accepting for good). Owning `Deno.listen` gives:
 * - accept errors never end the process: logged (throttled) and retried with a 5 ms → 1 s
 *   backoff, as Go's `net/http` does;
 * - a header-read timeout (slowloris): a request head not complete within `headerTimeoutMs`
 *   closes the connection; heads above `maxHeaderBytes` get 431;
 * - a pre-handshake budget: connections count from accept until the WebSocket handshake
 *   finishes (`handshakeDone`), or until a plain HTTP answer is written; above `maxPreauthPerIp`
 *   (32, OpenClaw's `DEFAULT_MAX_PREAUTH_CONNECTIONS_PER_IP`) or `maxPreauthTotal` new
 *   connections get `503` and are closed at once. Established sessions are not counted.
 *
 * Start-up: the upgrade path (ws_upgrade_kit.ts: handshake, framing, socket) is imported right
 * after the port is bound, not before; an upgrade that arrives while it loads waits for it (no
 * connection is refused or dropped). It loads none of Node's compatibility layer.
 * @module
 */
import { takeUpgrade } from "./ws_upgrade.ts";
import type { UpgradeKit } from "./ws_upgrade_kit.ts";
import { deferredImport } from "../platform/deferred_import.ts";
import { readRequestHead, writeResponse } from "./http_wire.ts";

/** Resource limits of {@linkcode listenHttp}. */
export interface ListenerLimits {
  /** A request head must be complete within this many ms, else the connection is closed. */
  headerTimeoutMs: number;
  /** Largest request head, in bytes (Node's default `maxHeaderSize`); larger → 431. */
  maxHeaderBytes: number;
  /** Connections per source IP that have not finished the handshake (OpenClaw: 32). */
  maxPreauthPerIp: number;
  /** Connections in total that have not finished the handshake. */
  maxPreauthTotal: number;
}

/** The defaults: 5 s header timeout, 16 KiB heads, 32 per IP, 512 in total. */
export const DEFAULT_LISTENER_LIMITS: ListenerLimits = {
  headerTimeoutMs: 5_000,
  maxHeaderBytes: 16_384,
  maxPreauthPerIp: 32,
  maxPreauthTotal: 512,
};

/**
 * Largest WebSocket message a socket reads before the handshake, in bytes (a frame header above
 * it closes 1009 before its payload is read). It sits above the protocol's 64 KiB pre-auth limit
 * so that limit closes with its own reason first; an unauthenticated peer can never make the
 * gateway buffer more (OpenClaw does the same with `maxPayload: MAX_PREAUTH_PAYLOAD_BYTES`,
 * raised after hello).
 */
const WS_PREAUTH_MAX_PAYLOAD_BYTES = 128 * 1024;
/** Added to a session's frame limit for the socket's message limit after the handshake, bytes. */
const WS_PAYLOAD_MARGIN_BYTES = 64 * 1024;
const ACCEPT_BACKOFF_MIN_MS = 5;
const ACCEPT_BACKOFF_MAX_MS = 1_000;
const WARN_INTERVAL_MS = 10_000;

/** What the request handler learns about the connection. */
export interface ServeInfo {
  remoteAddr: Deno.NetAddr;
}

/** A running listener. */
export interface HttpListener {
  readonly addr: Deno.NetAddr;
  /** Resolves once the listener is closed. */
  readonly finished: Promise<void>;
  /**
   * Resolves once the WebSocket upgrade path is loaded (it loads after the bind); rejects when
   * it cannot load, and upgrades then fail.
   */
  readonly upgradesReady: Promise<void>;
  /** Stops accepting and closes connections still before their handshake. */
  shutdown(): Promise<void>;
}

/** Options for {@linkcode listenHttp}. */
export interface ListenOptions {
  hostname: string;
  port: number;
  /** PEM certificate and key: serve TLS (`https://`, `wss://`). */
  tls?: { cert: string; key: string };
  handler: (req: Request, info: ServeInfo) => Response | Promise<Response>;
  limits?: Partial<ListenerLimits>;
  /** Receives operational warnings (accept errors, refused connections); throttled. */
  onWarn?: (message: string, fields?: Record<string, unknown>) => void;
}

/**
 * Binds and starts accepting.
 *
 * @throws {Deno.errors.AddrInUse} The port is taken.
 * @throws {Deno.errors.PermissionDenied} Binding needs privileges.
 * @throws {Error} The TLS certificate or key is invalid.
 */
export function listenHttp(options: ListenOptions): HttpListener {
  const limits = { ...DEFAULT_LISTENER_LIMITS };
  for (const [k, v] of Object.entries(options.limits ?? {})) {
    if (v !== undefined) limits[k as keyof ListenerLimits] = v;
  }
  const listener = options.tls
    ? Deno.listenTls({ hostname: options.hostname, port: options.port, ...options.tls })
    : Deno.listen({ hostname: options.hostname, port: options.port });
  const kit = loadUpgradeKit();
  kit.catch(() => {}); // reported through upgradesReady; each upgrade waiting on it fails
  const secure = !!options.tls;
  const preauthByIp = new Map<string, number>();
  let preauthTotal = 0;
  const pending = new Set<Deno.Conn>();
  let closed = false;
  let wakeBackoff: (() => void) | undefined;
  const lastWarn = new Map<string, number>();
  const warn = (key: string, message: string, fields?: Record<string, unknown>) => {
    const now = Date.now();
    if (now - (lastWarn.get(key) ?? 0) < WARN_INTERVAL_MS) return;
    lastWarn.set(key, now);
    options.onWarn?.(message, fields);
  };

  const acquire = (ip: string): (() => void) | undefined => {
    const n = preauthByIp.get(ip) ?? 0;
    if (n >= limits.maxPreauthPerIp || preauthTotal >= limits.maxPreauthTotal) return undefined;
    preauthByIp.set(ip, n + 1);
    preauthTotal++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      preauthTotal--;
      const left = (preauthByIp.get(ip) ?? 1) - 1;
      if (left <= 0) preauthByIp.delete(ip);
      else preauthByIp.set(ip, left);
    };
  };

  async function handle(conn: Deno.Conn): Promise<void> {
    const remoteAddr = conn.remoteAddr as Deno.NetAddr;
    const release = acquire(remoteAddr.hostname);
    if (!release) {
      warn("preauth", "refusing connections: too many have not finished the handshake", {
        ip: remoteAddr.hostname,
        perIp: limits.maxPreauthPerIp,
        total: limits.maxPreauthTotal,
      });
      if (!secure) await writeResponse(conn, new Response(null, { status: 503 }), false);
      return closeQuietly(conn);
    }
    pending.add(conn);
    // Small frames (one RPC answer) must leave at once: Nagle + delayed ACK cost ~40 ms each.
    try {
      (conn as Partial<Deno.TcpConn>).setNoDelay?.(true);
    } catch { /* not a TCP socket */ }
    let upgraded = false;
    try {
      const head = await readRequestHead(conn, limits);
      if (!head.ok) {
        if (head.status) {
          await writeResponse(conn, new Response(null, { status: head.status }), false);
        }
        return;
      }
      const url = `${secure ? "https" : "http"}://${
        head.hostHeaderValid ? head.host : `${options.hostname}:${options.port}`
      }${head.target}`;
      let req: Request;
      try {
        req = new Request(url, { method: head.method, headers: head.headers });
      } catch {
        return void await writeResponse(conn, new Response(null, { status: 400 }), false);
      }
      const res = await options.handler(req, { remoteAddr });
      const onOpen = takeUpgrade(req);
      if (!onOpen) return void await writeResponse(conn, res, head.method === "HEAD");
      const loaded = await kit; // only the upgrades of the first moments wait here
      if (closed) return;
      upgraded = true;
      pending.delete(conn);
      const key = req.headers.get("sec-websocket-key") ?? "";
      loaded.upgrade({ conn, key, rest: head.rest, onOpen, release }).catch(() => {
        release();
        closeQuietly(conn);
      });
    } catch {
      // Reset, TLS failure, header timeout (the timer closed the conn): nothing to answer.
    } finally {
      if (!upgraded) {
        pending.delete(conn);
        release();
        closeQuietly(conn);
      }
    }
  }

  const finished = (async () => {
    let backoffMs = 0;
    while (!closed) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
        backoffMs = 0;
      } catch (err) {
        if (closed || err instanceof Deno.errors.BadResource) break;
        backoffMs = Math.min(ACCEPT_BACKOFF_MAX_MS, Math.max(ACCEPT_BACKOFF_MIN_MS, backoffMs * 2));
        warn(
          "accept",
          `accept failed: ${(err as Error).message}; retrying (sessions keep working)`,
          {
            retryMs: backoffMs,
          },
        );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, backoffMs);
          wakeBackoff = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wakeBackoff = undefined;
        continue;
      }
      void handle(conn);
    }
  })();

  return {
    addr: listener.addr as Deno.NetAddr,
    finished,
    upgradesReady: kit.then(() => {}),
    async shutdown() {
      if (!closed) {
        closed = true;
        closeQuietly(listener);
        wakeBackoff?.();
        for (const c of pending) closeQuietly(c);
      }
      await finished;
    },
  };
}

/** Loads the upgrade path (after the bind: see the module doc). */
async function loadUpgradeKit(): Promise<UpgradeKit> {
  const kit = await deferredImport<typeof import("./ws_upgrade_kit.ts")>(
    "transport/ws_upgrade_kit",
    new URL("./ws_upgrade_kit.ts", import.meta.url),
  );
  return kit.createUpgradeKit(WS_PREAUTH_MAX_PAYLOAD_BYTES, WS_PAYLOAD_MARGIN_BYTES);
}

function closeQuietly(c: { close(): void }): void {
  try {
    c.close();
  } catch {
    // already closed
  }
}
