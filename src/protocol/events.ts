/**
 * Event payload schemas pushed by the gateway: `tick`, `shutdown`, `presence`, and the node
 * events `node.invoke.request`, `node.pair.requested`, `node.pair.resolved`.
 *
 * Source: `src/gateway/server-maintenance.ts`, `src/gateway/node-invoke-request.ts`,
 * `packages/gateway-protocol/src/schema/devices.ts` (openclaw@2026.9.6), protocol.md §3.4–5.4.
 * @module
 */
import { z } from "zod";
import { PresenceEntrySchema } from "./snapshot.ts";

/** Interval between `tick` events, in milliseconds (the real server sends 30000). */
export const TICK_INTERVAL_MS = 30_000;

export const TickEventSchema = z.object({ ts: z.number() });
export const ShutdownEventSchema = z.object({
  reason: z.string(),
  restartExpectedMs: z.number().optional(),
});
export const PresenceEventSchema = z.object({ presence: z.array(PresenceEntrySchema) });

/** Gateway → node: run a command. `paramsJSON` is the operator's params, stringified. */
export const NodeInvokeRequestSchema = z.object({
  id: z.string().min(1),
  nodeId: z.string().min(1),
  command: z.string().min(1),
  paramsJSON: z.string().nullable().optional(),
  params: z.unknown().optional(),
  timeoutMs: z.number().int().nonnegative().optional(),
  idempotencyKey: z.string().optional(),
  sessionKey: z.string().optional(),
}).passthrough();
export type NodeInvokeRequest = z.infer<typeof NodeInvokeRequestSchema>;

/** `node.pair.requested`: a node command surface awaits approval (the pending request). */
export const NodePairRequestedSchema = z.looseObject({
  requestId: z.string().min(1),
  nodeId: z.string().min(1),
  commands: z.array(z.string()).optional(),
  caps: z.array(z.string()).optional(),
  ts: z.number().optional(),
});
/** `device.pair.requested`: a device awaits pairing approval (the pending request). */
export const DevicePairRequestedSchema = z.looseObject({
  requestId: z.string().min(1),
  deviceId: z.string().min(1),
  role: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  ts: z.number().optional(),
});
export const NodePairResolvedSchema = z.object({
  requestId: z.string(),
  nodeId: z.string(),
  decision: z.enum(["approved", "rejected", "removed"]),
  ts: z.number(),
});

export const DevicePairResolvedSchema = z.object({
  requestId: z.string(),
  deviceId: z.string(),
  decision: z.string(),
  ts: z.number(),
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
