/**
 * `wss://` with a SHA-256 certificate pin (`gateway.remote.tlsFingerprint`). Deno's WebSocket
 * cannot pin, so the TLS socket comes from `node:tls` (peer certificate checked against the
 * pin, CA verification off as in OpenClaw: a pin replaces CA trust) and `npm:ws` runs the
 * WebSocket handshake and framing over that already-verified socket.
 *
 * Source of the pin format and semantics: `packages/gateway-client/src/client-address-utils.ts`,
 * `websocket-transport.ts` (openclaw@2026.9.6), protocol.md §8.
 *
 * `node:tls` and `ws` are imported on first use: loading them costs ~100 ms, which every other
 * command (plain `ws://`, loopback) should not pay.
 * @module
 */
import type { TLSSocket } from "node:tls";
import { TransportError } from "./errors.ts";
import { createSocketLike, type WebSocketLike } from "./websocket_like.ts";

/**
 * Normalises a pin to 64 lowercase hex characters. Accepts plain hex, colon-separated pairs
 * (as printed by `openssl x509 -fingerprint -sha256` and Node's `fingerprint256`) and an
 * optional `sha256:` prefix.
 *
 * @param pin The pin as configured.
 * @returns The normalised pin, or undefined when the text is not a SHA-256 fingerprint.
 *
 * @example Colon form
 * ```ts
 * import { normalizeFingerprint } from "./pinned_tls.ts";
 * console.assert(normalizeFingerprint("sha256:" + "AB:".repeat(31) + "AB") === "ab".repeat(32));
 * ```
 */
export function normalizeFingerprint(pin: string): string | undefined {
  const hex = pin.trim().toLowerCase().replace(/^sha256:/, "").replaceAll(":", "");
  return /^[0-9a-f]{64}$/.test(hex) ? hex : undefined;
}

/** Subset of the `ws` client surface used here (the package ships no types). */
interface WsClient {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  on(event: "message", fn: (data: Uint8Array, isBinary: boolean) => void): void;
  on(event: "close", fn: (code: number, reason: Uint8Array) => void): void;
  on(event: "error", fn: (err: Error) => void): void;
  once(event: "open", fn: () => void): void;
  once(
    event: "unexpected-response",
    fn: (req: unknown, res: { statusCode?: number }) => void,
  ): void;
  removeAllListeners(event?: string): void;
}
type WsConstructor = new (
  url: string,
  options: {
    createConnection: () => TLSSocket;
    handshakeTimeout: number;
    perMessageDeflate: boolean;
  },
) => WsClient;
const WS_OPEN = 1;

/**
 * Opens a pinned `wss://` socket: TLS via `node:tls` with CA checks off, the peer certificate's
 * SHA-256 compared with the pin (the socket is destroyed on mismatch), then the WebSocket
 * upgrade over that socket.
 *
 * @param url A `wss://` URL.
 * @param pin SHA-256 pin in any form {@linkcode normalizeFingerprint} accepts.
 * @param timeoutMs Deadline for TCP + TLS + upgrade together, in milliseconds.
 * @returns The open socket.
 * @throws {TransportError} `tls` on a malformed pin or a mismatch
 *   (`gateway tls fingerprint mismatch: expected …, got …`) or a TLS failure; `refused` when
 *   nothing accepts the connection or the upgrade is refused; `timeout` past `timeoutMs`.
 */
export async function openPinnedWebSocket(
  url: string,
  pin: string,
  timeoutMs: number,
): Promise<WebSocketLike> {
  const expected = normalizeFingerprint(pin);
  if (!expected) {
    throw new TransportError(
      "tls",
      url,
      `Invalid TLS fingerprint "${pin}": expected 64 hex characters`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (err) {
    throw new TransportError(
      "refused",
      url,
      `Invalid gateway URL ${url}: ${(err as Error).message}`,
    );
  }
  if (parsed.protocol !== "wss:") {
    throw new TransportError("tls", url, `A TLS fingerprint pin needs a wss:// URL, got ${url}`);
  }
  const deadline = Date.now() + timeoutMs;
  const [{ default: tls }, { default: WebSocket }] = await Promise.all([
    import("node:tls"),
    import("ws"),
  ]);
  const socket = await connectTls(tls.connect, url, parsed, timeoutMs);
  const actual = normalizeFingerprint(socket.getPeerCertificate()?.fingerprint256 ?? "");
  if (actual !== expected) {
    socket.destroy();
    throw new TransportError(
      "tls",
      url,
      `gateway tls fingerprint mismatch: expected ${expected}, got ${actual ?? "no certificate"}`,
    );
  }
  return await upgrade(
    WebSocket as unknown as WsConstructor,
    url,
    socket,
    Math.max(1, deadline - Date.now()),
  );
}

function connectTls(
  connect: typeof import("node:tls").connect,
  url: string,
  parsed: URL,
  timeoutMs: number,
): Promise<TLSSocket> {
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  const port = Number(parsed.port || 443);
  return new Promise((resolve, reject) => {
    const socket = connect({
      host,
      port,
      // SNI only for names (RFC 6066 forbids IP literals).
      servername: /^[\d.]+$/.test(host) || host.includes(":") ? undefined : host,
      rejectUnauthorized: false,
    });
    const timer = setTimeout(() => {
      finish();
      socket.destroy();
      reject(
        new TransportError("timeout", url, `Timed out after ${timeoutMs}ms connecting to ${url}`),
      );
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      socket.removeListener("secureConnect", onConnect);
      socket.removeListener("error", onError);
    };
    const onConnect = () => {
      finish();
      resolve(socket);
    };
    const onError = (err: Error & { code?: string }) => {
      finish();
      socket.destroy();
      if (err.code === "ECONNREFUSED" || /refused/i.test(err.message)) {
        reject(
          new TransportError(
            "refused",
            url,
            `Cannot connect to gateway at ${url}: connection refused (nothing is listening there)`,
            { cause: err },
          ),
        );
      } else if (/^E(NOTFOUND|HOSTUNREACH|NETUNREACH|CONNRESET|AI_AGAIN)/.test(err.code ?? "")) {
        reject(
          new TransportError(
            "refused",
            url,
            `Cannot connect to gateway at ${url}: ${err.message}`,
            {
              cause: err,
            },
          ),
        );
      } else {
        reject(
          new TransportError("tls", url, `TLS handshake with ${url} failed: ${err.message}`, {
            cause: err,
          }),
        );
      }
    };
    socket.once("secureConnect", onConnect);
    socket.once("error", onError);
  });
}

function upgrade(
  Ws: WsConstructor,
  url: string,
  socket: TLSSocket,
  timeoutMs: number,
): Promise<WebSocketLike> {
  const ws = new Ws(url, {
    createConnection: () => socket,
    handshakeTimeout: timeoutMs,
    perMessageDeflate: false,
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: TransportError) => {
      if (settled) return;
      settled = true;
      ws.removeAllListeners();
      ws.on("error", () => {});
      ws.terminate();
      socket.destroy();
      reject(err);
    };
    ws.once("unexpected-response", (_req, res) => {
      fail(
        new TransportError(
          "refused",
          url,
          `Gateway at ${url} refused the WebSocket upgrade (HTTP ${res.statusCode ?? "?"})`,
        ),
      );
    });
    ws.on("error", (err) => {
      const timeout = /timeout|timed out/i.test(err.message);
      fail(
        new TransportError(
          timeout ? "timeout" : "refused",
          url,
          timeout
            ? `Timed out after ${timeoutMs}ms upgrading ${url}`
            : `Cannot connect to gateway at ${url}: ${err.message}`,
          { cause: err },
        ),
      );
    });
    ws.once("open", () => {
      if (settled) return;
      settled = true;
      ws.removeAllListeners();
      resolve(adaptWs(ws));
    });
  });
}

/** Adapts an open `ws` client to {@linkcode WebSocketLike}. */
function adaptWs(ws: WsClient): WebSocketLike {
  const decoder = new TextDecoder();
  const { socket, deliver, closed } = createSocketLike({
    send: (text) => {
      if (ws.readyState === WS_OPEN) ws.send(text);
    },
    close: (code, reason) => {
      if (ws.readyState !== WS_OPEN) return;
      try {
        ws.close(code, reason);
      } catch {
        ws.close();
      }
    },
    bufferedAmount: () => ws.bufferedAmount,
  });
  ws.on(
    "message",
    (data, isBinary) => deliver(isBinary ? new Uint8Array(data) : decoder.decode(data)),
  );
  // Errors after open are followed by a `close` event; without a listener `ws` would throw.
  ws.on("error", () => {});
  ws.on("close", (code, reason) => closed(code, decoder.decode(reason)));
  return socket;
}
