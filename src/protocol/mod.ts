/**
 * The OpenClaw Gateway WebSocket protocol (v4), as spoken by openclaw@2026.9.6: frames,
 * handshake, errors, scopes, events and node methods. The one source of protocol facts for
 * the gateway, the CLI and the node.
 *
 * @example Validate an inbound frame
 * ```ts
 * import { decodeFrame, PROTOCOL_VERSION } from "./mod.ts";
 * const r = decodeFrame('{"type":"event","event":"tick","payload":{"ts":1}}');
 * console.assert(r.ok && PROTOCOL_VERSION === 4);
 * ```
 * @module
 */
export * from "./version.ts";
export * from "./frames.ts";
export * from "./errors.ts";
export * from "./snapshot.ts";
export * from "./connect.ts";
export * from "./scopes.ts";
export * from "./events.ts";
export * from "./nodes.ts";
export * from "./codec.ts";
export * from "./status.ts";
export * from "./json_budget.ts";
