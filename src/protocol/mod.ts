/**
 * The OpenClaw Gateway WebSocket protocol (v4), as spoken by openclaw@2026.9.6: frames,
 * handshake, errors, scopes, events and node methods. The one source of protocol facts for
 * the gateway, the CLI and the node. Schemas are valibot schemas (`v.safeParse(Schema, value)`);
 * a client that only connects and calls `health` imports {@linkcode ./client.ts} instead.
 *
 * @example Validate an inbound frame
 * ```ts
 * import { decodeFrame, PROTOCOL_VERSION } from "./mod.ts";
 * const r = decodeFrame('{"type":"event","event":"tick","payload":{"ts":1}}');
 * console.assert(r.ok && PROTOCOL_VERSION === 4);
 * ```
 * @module
 */
export * from "./client.ts";
export * from "./events.ts";
export * from "./nodes.ts";
export * from "./status.ts";
export * from "./utf8_length.ts";
