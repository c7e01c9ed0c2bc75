/**
 * The part of the protocol an operator client needs to connect and call `health`: frames and
 * their codec, the handshake (`connect.challenge`, `connect`, `hello-ok`), the health and
 * presence snapshots, errors, scopes and version numbers. Importing it does not evaluate the
 * node, event or status schemas ({@linkcode ./mod.ts} adds those), so a short CLI call loads
 * less (issue 7).
 *
 * @example Check a challenge event
 * ```ts
 * import * as v from "valibot";
 * import { ConnectChallengeSchema, decodeFrame } from "./client.ts";
 * const r = decodeFrame('{"type":"event","event":"connect.challenge","payload":{"nonce":"n","ts":1}}');
 * console.assert(r.ok && r.frame.type === "event" && v.is(ConnectChallengeSchema, r.frame.payload));
 * ```
 * @module
 */
export * from "./version.ts";
export * from "./policy.ts";
export * from "./frames.ts";
export * from "./errors.ts";
export * from "./snapshot.ts";
export * from "./connect.ts";
export * from "./scopes.ts";
export * from "./codec.ts";
export * from "./json_budget.ts";
