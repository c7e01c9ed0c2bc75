/**
 * One handshaken connection (operator or node): identity, role, scopes and a typed way to
 * push events, with per-connection `seq` on broadcast events and slow-consumer protection.
 * @module
 */
import {
  type ClientInfo,
  encodeFrame,
  MAX_BUFFERED_BYTES,
  type StateVersion,
} from "../protocol/mod.ts";
import type { WebSocketLike } from "../transport/websocket_like.ts";
import { type BroadcastFrame, encodeBroadcast, frameText } from "./event_frame.ts";
import type { BrowserOrigin } from "./origin_check.ts";

/** Facts about the TCP peer, taken from the upgrade request. */
export interface PeerInfo {
  remoteIp: string;
  /**
   * Direct loopback: loopback peer address, no proxy headers and no browser `Origin` (a page in
   * a local browser is not a local client: no silent pairing, no device-less scopes, no
   * loopback exemption from the auth limiter, as upstream).
   */
  isLocal: boolean;
  /** Set when the upgrade carried an `Origin` header (a browser page). */
  browserOrigin?: BrowserOrigin;
}

/** A connected, authenticated client. */
export class Session {
  readonly connId: string;
  readonly role: "operator" | "node";
  readonly scopes: string[];
  readonly client: ClientInfo;
  readonly peer: PeerInfo;
  readonly deviceId?: string;
  readonly connectedAtMs = Date.now();
  /** Node claims from `connect` (empty for operators). */
  readonly caps: string[];
  readonly commands: string[];
  lastSeenAtMs = Date.now();
  /** Largest frame this session may send, in bytes (`policy.maxPayload` in its hello-ok). */
  readonly maxPayloadBytes: number;
  #socket: WebSocketLike;
  #seq = 0;

  constructor(init: {
    connId: string;
    role: "operator" | "node";
    scopes: string[];
    client: ClientInfo;
    peer: PeerInfo;
    deviceId?: string;
    caps?: string[];
    commands?: string[];
    socket: WebSocketLike;
    maxPayloadBytes: number;
  }) {
    this.connId = init.connId;
    this.role = init.role;
    this.scopes = init.scopes;
    this.client = init.client;
    this.peer = init.peer;
    this.deviceId = init.deviceId;
    this.caps = init.caps ?? [];
    this.commands = init.commands ?? [];
    this.#socket = init.socket;
    this.maxPayloadBytes = init.maxPayloadBytes;
  }

  /** The node id: the device id, else `client.instanceId`, else the connection id. */
  get nodeId(): string {
    return this.deviceId ?? this.client.instanceId ?? this.connId;
  }

  /**
   * Sends one frame; closes the connection 1008 `slow consumer` when the peer stopped reading.
   *
   * @returns false when the frame was not sent.
   */
  sendRaw(text: string): boolean {
    if (this.#socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.#socket.close(1008, "slow consumer");
      return false;
    }
    this.#socket.send(text);
    return true;
  }

  /**
   * Pushes an event. Broadcast events carry this connection's next `seq`; targeted ones none
   * (protocol.md §1). For one event to many sessions use `GatewayState.broadcast`, which
   * serialises the payload once.
   */
  sendEvent(
    event: string,
    payload: unknown,
    options: { broadcast?: boolean; stateVersion?: StateVersion } = {},
  ): boolean {
    if (options.broadcast) {
      return this.sendBroadcast(encodeBroadcast(event, payload, options.stateVersion));
    }
    const frame: Record<string, unknown> = { type: "event", event, payload };
    if (options.stateVersion) frame.stateVersion = options.stateVersion;
    return this.sendRaw(JSON.stringify(frame));
  }

  /** Sends a pre-serialised broadcast event with this connection's next `seq`. */
  sendBroadcast(frame: BroadcastFrame): boolean {
    return this.sendRaw(frameText(frame, ++this.#seq));
  }

  /** Sends a `res` frame. */
  sendResponse(id: string, ok: boolean, body: { payload?: unknown; error?: unknown }): boolean {
    return this.sendRaw(encodeFrame({ type: "res", id, ok, ...body } as never));
  }

  /** Closes the socket. */
  close(code: number, reason: string): void {
    this.#socket.close(code, reason);
  }
}
