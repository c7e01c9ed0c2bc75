/**
 * Opens a client WebSocket and adapts it to {@linkcode WebSocketLike}, the minimal socket
 * interface the rest of clawgate uses (commands never touch raw sockets).
 * @module
 */
import { TransportError } from "./errors.ts";
import { createSocketLike, type WebSocketLike } from "./websocket_like.ts";

export type { WebSocketLike };

/** Adapts a DOM-style WebSocket (Deno's, or one accepted by `Deno.upgradeWebSocket`). */
export function adaptWebSocket(ws: WebSocket): WebSocketLike {
  ws.binaryType = "arraybuffer";
  const { socket, deliver, closed } = createSocketLike({
    send: (text) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(text);
    },
    close: (code, reason) => {
      if (ws.readyState === WebSocket.CLOSED || ws.readyState === WebSocket.CLOSING) return;
      try {
        ws.close(code, reason);
      } catch {
        ws.close();
      }
    },
    bufferedAmount: () => ws.bufferedAmount,
  });
  ws.onmessage = (ev: MessageEvent) => {
    const data = ev.data;
    deliver(typeof data === "string" ? data : new Uint8Array(data as ArrayBuffer));
  };
  ws.onclose = (ev: CloseEvent) => closed(ev.code, ev.reason);
  return socket;
}

/**
 * Opens a client socket.
 *
 * @param url `ws://` or `wss://`.
 * @param options.timeoutMs Deadline for the TCP + upgrade, in milliseconds.
 * @param options.tlsFingerprint SHA-256 pin; only valid with `wss://`.
 * @throws {TransportError} `refused` when nothing accepts the connection, `timeout`, `tls`.
 */
export function openWebSocket(
  url: string,
  options: { timeoutMs: number; tlsFingerprint?: string; signal?: AbortSignal },
): Promise<WebSocketLike> {
  if (options.tlsFingerprint) {
    if (!url.startsWith("wss://")) {
      return Promise.reject(
        new TransportError("tls", url, `A TLS fingerprint pin needs a wss:// URL, got ${url}`),
      );
    }
    return abortable(
      // The pinned path (node:tls + npm:ws) loads only when a pin is configured.
      import("./pinned_tls.ts").then((m) =>
        m.openPinnedWebSocket(url, options.tlsFingerprint!, options.timeoutMs)
      ),
      url,
      options.signal,
    );
  }
  return new Promise((resolve, reject) => {
    let ws: WebSocket;
    try {
      ws = new WebSocket(url);
    } catch (err) {
      reject(
        new TransportError("refused", url, `Invalid gateway URL ${url}: ${(err as Error).message}`),
      );
      return;
    }
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      ws.onopen = ws.onerror = ws.onclose = null;
      try {
        ws.close();
      } catch { /* already closing */ }
      reject(
        new TransportError(
          "timeout",
          url,
          `Timed out after ${options.timeoutMs}ms connecting to ${url}`,
        ),
      );
    }, options.timeoutMs);
    const onAbort = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      ws.close();
      reject(new TransportError("closed", url, `Connecting to ${url} was aborted`));
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    ws.onopen = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      ws.onopen = ws.onerror = null;
      resolve(adaptWebSocket(ws));
    };
    ws.onerror = (ev) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      const msg = (ev as ErrorEvent).message ?? "connection failed";
      const refused = /refused|ECONNREFUSED|os error 111|tcp connect error/i.test(msg);
      const tls = /certificate|tls|ssl/i.test(msg);
      reject(
        new TransportError(
          refused ? "refused" : tls ? "tls" : "refused",
          url,
          refused
            ? `Cannot connect to gateway at ${url}: connection refused (nothing is listening there)`
            : `Cannot connect to gateway at ${url}: ${msg}`,
        ),
      );
    };
  });
}

/**
 * Rejects with `closed` as soon as `signal` aborts; a socket that opens after that is closed.
 */
function abortable(
  opening: Promise<WebSocketLike>,
  url: string,
  signal?: AbortSignal,
): Promise<WebSocketLike> {
  if (!signal) return opening;
  const aborted = () => new TransportError("closed", url, `Connecting to ${url} was aborted`);
  if (signal.aborted) {
    opening.then((ws) => ws.close(1000), () => {});
    return Promise.reject(aborted());
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      opening.then((ws) => ws.close(1000), () => {});
      reject(aborted());
    };
    signal.addEventListener("abort", onAbort, { once: true });
    opening.then(
      (ws) => {
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) ws.close(1000);
        else resolve(ws);
      },
      (err) => {
        signal.removeEventListener("abort", onAbort);
        reject(err);
      },
    );
  });
}
