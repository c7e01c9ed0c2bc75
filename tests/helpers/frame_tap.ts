/**
 * A recording WebSocket proxy for wire-conformance tests: listens on 127.0.0.1:0, relays every
 * connection to an upstream gateway unchanged, and records each text frame in both directions
 * (parsed JSON) with its connection number and direction. Close codes and reasons are relayed.
 * `toClients` injects a frame towards the clients, as the gateway would send it.
 * @module
 */

/** One captured frame. */
export interface TappedFrame {
  /** Connection number, 1-based, in accept order. */
  conn: number;
  /** `c2s` = client → gateway, `s2c` = gateway → client. */
  dir: "c2s" | "s2c";
  /** The parsed frame, or the raw text when it was not JSON. */
  frame: unknown;
}

/** A running tap. */
export interface FrameTap extends AsyncDisposable {
  /** `ws://127.0.0.1:<port>`: point clients here instead of at the gateway. */
  url: string;
  frames: TappedFrame[];
  /** Connections currently relayed. */
  open(): number;
  /** Sends `frame` (JSON) to every connected client, as if the gateway had sent it. */
  toClients(frame: unknown): void;
  close(): Promise<void>;
}

/**
 * Starts a tap in front of `upstreamUrl` (a `ws://` gateway URL).
 *
 * @param upstreamUrl Where each accepted connection is relayed to.
 * @returns The tap; `close()` stops listening and closes relayed sockets.
 */
export function startFrameTap(upstreamUrl: string): FrameTap {
  const frames: TappedFrame[] = [];
  const sockets = new Set<WebSocket>();
  const clients = new Set<WebSocket>();
  let conns = 0;
  const record = (conn: number, dir: TappedFrame["dir"], data: unknown) => {
    if (typeof data !== "string") return;
    let frame: unknown = data;
    try {
      frame = JSON.parse(data);
    } catch { /* keep raw text */ }
    frames.push({ conn, dir, frame });
  };
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return fetch(upstreamUrl.replace(/^ws/, "http") + new URL(req.url).pathname);
    }
    const conn = ++conns;
    const { socket: client, response } = Deno.upgradeWebSocket(req);
    const upstream = new WebSocket(upstreamUrl);
    sockets.add(client).add(upstream);
    clients.add(client);
    const pending: string[] = [];
    // WebSocket.close() accepts only 1000 and 3000–4999; other codes (1012 restart) become 1000.
    const relayClose = (to: WebSocket, ev: CloseEvent) => {
      if (to.readyState > WebSocket.OPEN) return;
      try {
        to.close(ev.code, ev.reason);
      } catch {
        to.close(1000, ev.reason);
      }
    };
    client.onmessage = (ev) => {
      record(conn, "c2s", ev.data);
      if (upstream.readyState === WebSocket.OPEN) upstream.send(ev.data);
      else pending.push(ev.data);
    };
    upstream.onopen = () => {
      for (const m of pending.splice(0)) upstream.send(m);
    };
    upstream.onmessage = (ev) => {
      record(conn, "s2c", ev.data);
      if (client.readyState === WebSocket.OPEN) client.send(ev.data);
    };
    upstream.onclose = (ev) => {
      sockets.delete(upstream);
      relayClose(client, ev);
    };
    client.onclose = (ev) => {
      sockets.delete(client);
      clients.delete(client);
      relayClose(upstream, ev);
    };
    upstream.onerror = () => {};
    client.onerror = () => {};
    return response;
  });
  const port = (server.addr as Deno.NetAddr).port;
  let closing: Promise<void> | undefined;
  const close = () =>
    closing ??= (async () => {
      for (const s of sockets) {
        try {
          s.close(1001, "tap closing");
        } catch { /* already closed */ }
      }
      await server.shutdown();
    })();
  return {
    url: `ws://127.0.0.1:${port}`,
    frames,
    open: () => sockets.size,
    toClients: (frame) => {
      for (const c of clients) if (c.readyState === WebSocket.OPEN) c.send(JSON.stringify(frame));
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
