/**
 * Protocol version numbers of the OpenClaw Gateway WebSocket protocol.
 *
 * Source: `packages/gateway-protocol/src/version.ts` in openclaw@2026.9.6.
 * @module
 */

/** The protocol version this gateway speaks and operators must accept. */
export const PROTOCOL_VERSION = 4;
/** Lowest protocol an operator client may offer (`minProtocol ≤ 4 ≤ maxProtocol`). */
export const MIN_CLIENT_PROTOCOL_VERSION = 4;
/** Lowest protocol a node (role `node`, mode `node`) may speak. */
export const MIN_NODE_PROTOCOL_VERSION = 3;
/** Lowest protocol a `probe`-mode client may offer. */
export const MIN_PROBE_PROTOCOL_VERSION = 3;
