/**
 * The modules the listener's WebSocket upgrade path needs (`npm:ws`, the socket adapter, the
 * duplex over a `Deno.Conn`), and the one `ws` server that frames every socket. They load
 * Node's stream, http and crypto layers (tens of ms), so src/transport/http_listener.ts loads
 * this module only after the port is bound.
 * @module
 */
import { Buffer } from "node:buffer";
import * as ws from "ws";
import { ConnDuplex } from "./conn_duplex.ts";
import {
  adaptWs,
  setMaxPayload,
  type WsServer,
  type WsServerConstructor,
} from "./ws_server_socket.ts";

/** The upgrade path's parts. */
export interface UpgradeKit {
  /** The `ws` server (no HTTP server of its own: `handleUpgrade` only). */
  wss: WsServer;
  ConnDuplex: typeof ConnDuplex;
  adaptWs: typeof adaptWs;
  setMaxPayload: typeof setMaxPayload;
  Buffer: typeof Buffer;
}

/**
 * Builds the kit.
 *
 * @param maxPayloadBytes Largest message `ws` buffers before the handshake, in bytes.
 */
export function createUpgradeKit(maxPayloadBytes: number): UpgradeKit {
  const { WebSocketServer } = ws as unknown as { WebSocketServer: WsServerConstructor };
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: maxPayloadBytes,
    clientTracking: false,
    skipUTF8Validation: true, // adaptWs validates natively, then decodes
  });
  return { wss, ConnDuplex, adaptWs, setMaxPayload, Buffer };
}
