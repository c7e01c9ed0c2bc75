/**
 * The numbers of `hello-ok.policy`: frame size limits, the slow-consumer threshold and the
 * `tick` interval. Plain constants in a module of their own, so `gateway run` reads the tick
 * interval without loading any schema.
 *
 * Source: `src/gateway/server-constants.ts`, `src/gateway/server-maintenance.ts`
 * (openclaw@2026.9.6), protocol.md §1.
 * @module
 */

/** Largest frame accepted before `hello-ok`, in bytes; larger → close 1009. */
export const MAX_PREAUTH_PAYLOAD_BYTES = 65_536;
/** Largest frame accepted after `hello-ok`, in bytes (`policy.maxPayload`). */
export const MAX_PAYLOAD_BYTES = 26_214_400;
/** Outbound buffer above which a peer is a slow consumer, in bytes (`policy.maxBufferedBytes`). */
export const MAX_BUFFERED_BYTES = 52_428_800;
/** Interval between `tick` events, in milliseconds (the real server sends 30000). */
export const TICK_INTERVAL_MS = 30_000;
