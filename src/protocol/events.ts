/**
 * Event payload schemas pushed by the gateway: `tick`, `shutdown`, `presence`, and the node
 * events `node.invoke.request`, `node.pair.requested`, `node.pair.resolved`.
 *
 * Source: `src/gateway/server-maintenance.ts`, `src/gateway/node-invoke-request.ts`,
 * `packages/gateway-protocol/src/schema/devices.ts` (openclaw@2026.9.6), protocol.md §3.4–5.4.
 * @module
 */
import * as v from "valibot";
import { PresenceEntrySchema } from "./snapshot.ts";
import { NonEmptyString, NonNegativeInt } from "./_shapes.ts";

export const TickEventSchema = v.object({ ts: v.number() });
export const ShutdownEventSchema = v.object({
  reason: v.string(),
  restartExpectedMs: v.optional(v.number()),
});
export const PresenceEventSchema = v.object({ presence: v.array(PresenceEntrySchema) });

/** Gateway → node: run a command. `paramsJSON` is the operator's params, stringified. */
export const NodeInvokeRequestSchema = v.looseObject({
  id: NonEmptyString,
  nodeId: NonEmptyString,
  command: NonEmptyString,
  paramsJSON: v.optional(v.nullable(v.string())),
  params: v.optional(v.unknown()),
  timeoutMs: v.optional(NonNegativeInt),
  idempotencyKey: v.optional(v.string()),
  sessionKey: v.optional(v.string()),
});
export type NodeInvokeRequest = v.InferOutput<typeof NodeInvokeRequestSchema>;

/** `node.pair.requested`: a node command surface awaits approval (the pending request). */
export const NodePairRequestedSchema = v.looseObject({
  requestId: NonEmptyString,
  nodeId: NonEmptyString,
  commands: v.optional(v.array(v.string())),
  caps: v.optional(v.array(v.string())),
  ts: v.optional(v.number()),
});
/** `device.pair.requested`: a device awaits pairing approval (the pending request). */
export const DevicePairRequestedSchema = v.looseObject({
  requestId: NonEmptyString,
  deviceId: NonEmptyString,
  role: v.optional(v.string()),
  scopes: v.optional(v.array(v.string())),
  ts: v.optional(v.number()),
});
export const NodePairResolvedSchema = v.object({
  requestId: v.string(),
  nodeId: v.string(),
  decision: v.picklist(["approved", "rejected", "removed"]),
  ts: v.number(),
});

export const DevicePairResolvedSchema = v.object({
  requestId: v.string(),
  deviceId: v.string(),
  decision: v.string(),
  ts: v.number(),
});

/** Events this gateway can emit, advertised in `hello-ok.features.events`. */
export const GATEWAY_EVENTS = [
  "connect.challenge",
  "tick",
  "shutdown",
  "presence",
  "health",
  "node.invoke.request",
  "node.pair.requested",
  "node.pair.resolved",
  "device.pair.requested",
  "device.pair.resolved",
] as const;
