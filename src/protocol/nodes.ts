/**
 * Node method schemas: `node.invoke`, `node.invoke.result`, `node.describe`, `node.rename`,
 * `node.pair.*`, `device.pair.*`, and the KnownNode shape returned by `node.list`.
 *
 * Source: `packages/gateway-protocol/src/schema/nodes.ts`, `src/gateway/node-catalog.ts`,
 * `src/gateway/server-methods/nodes.handlers.invoke-result.ts` (openclaw@2026.9.6), protocol.md §5.3–5.4.
 * @module
 */
import { z } from "zod";

/** Operator → gateway `node.invoke` params (closed; `idempotencyKey` required). */
export const NodeInvokeParamsSchema = z.strictObject({
  nodeId: z.string().min(1),
  command: z.string().min(1),
  params: z.unknown().optional(),
  timeoutMs: z.number().int().nonnegative().optional(),
  idempotencyKey: z.string().min(1),
  sessionKey: z.string().optional(),
  turnSourceChannel: z.string().optional(),
  turnSourceTo: z.string().optional(),
  turnSourceAccountId: z.string().optional(),
  turnSourceThreadId: z.string().optional(),
});
export type NodeInvokeParams = z.infer<typeof NodeInvokeParamsSchema>;

/** Node → gateway `node.invoke.result` params. */
export const NodeInvokeResultParamsSchema = z.object({
  id: z.string().min(1),
  nodeId: z.string().min(1),
  ok: z.boolean(),
  payload: z.unknown().optional(),
  payloadJSON: z.string().nullable().optional(),
  error: z.object({ code: z.string().optional(), message: z.string().optional() }).nullable()
    .optional(),
}).passthrough();
export type NodeInvokeResultParams = z.infer<typeof NodeInvokeResultParamsSchema>;

/** `node.invoke` result returned to the operator. */
export const NodeInvokeResultSchema = z.object({
  ok: z.literal(true),
  nodeId: z.string(),
  command: z.string(),
  payload: z.unknown(),
  payloadJSON: z.string().nullable(),
});

/** Node → gateway `node.event` params. */
export const NodeEventParamsSchema = z.object({
  event: z.string().min(1),
  payload: z.unknown().optional(),
  payloadJSON: z.string().nullable().optional(),
}).passthrough();

/**
 * `node.event` result (`NodeEventResultSchema` upstream: `{ok, event, handled, reason?}`).
 * Open here: the real gateway also answers some events with other shapes.
 */
export const NodeEventResultSchema = z.looseObject({
  ok: z.boolean(),
  event: z.string().min(1).optional(),
  handled: z.boolean().optional(),
  reason: z.string().min(1).optional(),
});
export type NodeEventResult = z.infer<typeof NodeEventResultSchema>;
export const NodeIdParamsSchema = z.object({ nodeId: z.string().min(1) }).passthrough();
export const NodeRenameParamsSchema = z.object({
  nodeId: z.string().min(1),
  displayName: z.string().min(1).max(128),
});
export const RequestIdParamsSchema = z.object({ requestId: z.string().min(1) });
export const DeviceIdParamsSchema = z.object({ deviceId: z.string().min(1) });

/** Approval state of a node's command surface. */
export const ApprovalStateSchema = z.enum([
  "approved",
  "pending-approval",
  "pending-reapproval",
  "unapproved",
]);

/** One entry of `node.list` (`src/gateway/node-catalog.ts`). */
export const KnownNodeSchema = z.object({
  nodeId: z.string(),
  displayName: z.string().optional(),
  platform: z.string().optional(),
  version: z.string().optional(),
  clientId: z.string().optional(),
  clientMode: z.string().optional(),
  deviceFamily: z.string().optional(),
  caps: z.array(z.string()),
  commands: z.array(z.string()),
  approvalState: ApprovalStateSchema.optional(),
  paired: z.boolean(),
  connected: z.boolean(),
  connectedAtMs: z.number().optional(),
  lastSeenAtMs: z.number().optional(),
  pendingRequestId: z.string().optional(),
}).passthrough();
export type KnownNode = z.infer<typeof KnownNodeSchema>;

export const NodeListResultSchema = z.object({
  ts: z.number(),
  nodes: z.array(KnownNodeSchema),
}).passthrough();

/** `system.run` params read by a node (`src/node-host/invoke-system-run.ts`). */
export const SystemRunParamsSchema = z.object({
  command: z.array(z.string()).min(1),
  rawCommand: z.string().optional(),
  cwd: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  timeoutMs: z.number().int().positive().optional(),
}).passthrough();
export type SystemRunParams = z.infer<typeof SystemRunParamsSchema>;

/** `system.run` result. */
export const SystemRunResultSchema = z.object({
  exitCode: z.number().nullable(),
  timedOut: z.boolean(),
  success: z.boolean(),
  stdout: z.string(),
  stderr: z.string(),
  error: z.string().nullable(),
});
export type SystemRunResult = z.infer<typeof SystemRunResultSchema>;

export const SystemWhichParamsSchema = z.object({ bins: z.array(z.string()) }).passthrough();
