/**
 * The server side of the WebSocket opening handshake on the gateway's own listener
 * (http_listener.ts): the `101` response with `Sec-WebSocket-Accept`, and the
 * {@linkcode ConnSocket} that frames the connection from then on (ws_conn_socket.ts). No
 * subprotocol and no extensions: a client's `permessage-deflate` offer is not accepted, as the
 * real gateway runs `ws` with `perMessageDeflate: false` (protocol.md §0a). Loaded after the bind
 * (http_listener.ts), though it needs none of Node's layers.
 *
 * Source: RFC 6455 §4.2.2 (server handshake response).
 * @module
 */
import { ConnSocket } from "./ws_conn_socket.ts";
import type { PendingUpgrade } from "./ws_upgrade.ts";

/** The GUID RFC 6455 §1.3 appends to the client's key. */
const WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
const encoder = new TextEncoder();

/**
 * `Sec-WebSocket-Accept` for a `Sec-WebSocket-Key`: base64(SHA-1(key + GUID)).
 *
 * @example
 * ```ts
 * import { acceptKey } from "./ws_upgrade_kit.ts";
 * // RFC 6455 §1.3's example
 * console.assert(await acceptKey("dGhlIHNhbXBsZSBub25jZQ==") === "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
 * ```
 */
export async function acceptKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", encoder.encode(key + WS_GUID));
  let bin = "";
  for (const b of new Uint8Array(digest)) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** What the listener hands over for one upgrade. */
export interface UpgradeRequest {
  conn: Deno.Conn;
  /** The request's `Sec-WebSocket-Key` (validated by ws_upgrade.ts). */
  key: string;
  /** Bytes read past the request head. */
  rest: Uint8Array;
  onOpen: PendingUpgrade;
  /** Releases the connection's pre-handshake budget (called once, at the latest when it closes). */
  release: () => void;
}

/** The upgrade path's parts. */
export interface UpgradeKit {
  /**
   * Answers `101`, opens the socket and calls `onOpen`; what `onOpen` sends leaves in the same
   * write as the `101`.
   */
  upgrade(req: UpgradeRequest): Promise<void>;
}

/**
 * Builds the kit.
 *
 * @param preauthMaxPayloadBytes Largest message a socket reads before its handshake is done, in
 *   bytes (then it closes 1009).
 * @param payloadMarginBytes Added to the session's frame limit once the handshake is done.
 */
export function createUpgradeKit(
  preauthMaxPayloadBytes: number,
  payloadMarginBytes: number,
): UpgradeKit {
  return {
    async upgrade({ conn, key, rest, onOpen, release }) {
      const accept = await acceptKey(key);
      const preamble = encoder.encode(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
          `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
      );
      const socket = new ConnSocket({
        conn,
        preamble,
        maxPayload: preauthMaxPayloadBytes,
        onGone: release,
      });
      onOpen(socket, (maxPayloadBytes) => {
        release();
        socket.setMaxPayload(maxPayloadBytes + payloadMarginBytes);
      });
      void socket.readAll(rest);
    },
  };
}
