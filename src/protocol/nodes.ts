/**
 * Node method schemas: `node.invoke`, `node.invoke.result`, `node.describe`, `node.rename`,
 * `node.pair.*`, `device.pair.*`, and the KnownNode shape returned by `node.list`.
 *
 * Source: `packages/gateway-protocol/src/schema/nodes.ts`, `src/gateway/node-catalog.ts`,
 * `src/gateway/server-methods/nodes.handlers.invoke-result.ts` (openclaw@2026.9.6), protocol.md §5.3–5.4.
 * @module
 */
import * as v from "valibot";
import { NonEmptyString, NonNegativeInt } from "./_shapes.ts";

/** Operator → gateway `node.invoke` params (closed; `idempotencyKey` required). */
export const NodeInvokeParamsSchema = v.strictObject({
  nodeId: NonEmptyString,
  command: NonEmptyString,
  params: v.optional(v.unknown()),
  timeoutMs: v.optional(NonNegativeInt),
  idempotencyKey: NonEmptyString,
  sessionKey: v.optional(v.string()),
  turnSourceChannel: v.optional(v.string()),
  turnSourceTo: v.optional(v.string()),
  turnSourceAccountId: v.optional(v.string()),
  turnSourceThreadId: v.optional(v.string()),
});
export type NodeInvokeParams = v.InferOutput<typeof NodeInvokeParamsSchema>;

/** Node → gateway `node.invoke.result` params. */
export const NodeInvokeResultParamsSchema = v.looseObject({
  id: NonEmptyString,
  nodeId: NonEmptyString,
  ok: v.boolean(),
  payload: v.optional(v.unknown()),
  payloadJSON: v.optional(v.nullable(v.string())),
  error: v.optional(
    v.nullable(v.object({ code: v.optional(v.string()), message: v.optional(v.string()) })),
  ),
});
export type NodeInvokeResultParams = v.InferOutput<typeof NodeInvokeResultParamsSchema>;

/** `node.invoke` result returned to the operator. */
export const NodeInvokeResultSchema = v.object({
  ok: v.literal(true),
  nodeId: v.string(),
  command: v.string(),
  payload: v.unknown(),
  payloadJSON: v.nullable(v.string()),
});

/** Node → gateway `node.event` params. */
export const NodeEventParamsSchema = v.looseObject({
  event: NonEmptyString,
  payload: v.optional(v.unknown()),
  payloadJSON: v.optional(v.nullable(v.string())),
});

/**
 * `node.event` result (`NodeEventResultSchema` upstream: `{ok, event, handled, reason?}`).
 * Open here: the real gateway also answers some events with other shapes.
 */
export const NodeEventResultSchema = v.looseObject({
  ok: v.boolean(),
  event: v.optional(NonEmptyString),
  handled: v.optional(v.boolean()),
  reason: v.optional(NonEmptyString),
});
export type NodeEventResult = v.InferOutput<typeof NodeEventResultSchema>;
export const NodeIdParamsSchema = v.looseObject({ nodeId: NonEmptyString });
export const NodeRenameParamsSchema = v.object({
  nodeId: NonEmptyString,
  displayName: v.pipe(v.string(), v.minLength(1), v.maxLength(128)),
});
export const RequestIdParamsSchema = v.object({ requestId: NonEmptyString });
export const DeviceIdParamsSchema = v.object({ deviceId: NonEmptyString });

/** Approval state of a node's command surface. */
export const ApprovalStateSchema = v.picklist([
  "approved",
  "pending-approval",
  "pending-reapproval",
  "unapproved",
]);

/** One entry of `node.list` (`src/gateway/node-catalog.ts`). */
export const KnownNodeSchema = v.looseObject({
  nodeId: v.string(),
  displayName: v.optional(v.string()),
  platform: v.optional(v.string()),
  version: v.optional(v.string()),
  clientId: v.optional(v.string()),
  clientMode: v.optional(v.string()),
  deviceFamily: v.optional(v.string()),
  caps: v.array(v.string()),
  commands: v.array(v.string()),
  approvalState: v.optional(ApprovalStateSchema),
  paired: v.boolean(),
  connected: v.boolean(),
  connectedAtMs: v.optional(v.number()),
  lastSeenAtMs: v.optional(v.number()),
  pendingRequestId: v.optional(v.string()),
});
export type KnownNode = v.InferOutput<typeof KnownNodeSchema>;

export const NodeListResultSchema = v.looseObject({
  ts: v.number(),
  nodes: v.array(KnownNodeSchema),
});

/** `system.run` params read by a node (`src/node-host/invoke-system-run.ts`). */
export const SystemRunParamsSchema = v.looseObject({
  command: v.pipe(v.array(v.string()), v.minLength(1)),
  rawCommand: v.optional(v.string()),
  cwd: v.optional(v.string()),
  env: v.optional(v.record(v.string(), v.string())),
  timeoutMs: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
});
export type SystemRunParams = v.InferOutput<typeof SystemRunParamsSchema>;

/** `system.run` result. */
export const SystemRunResultSchema = v.object({
  exitCode: v.nullable(v.number()),
  timedOut: v.boolean(),
  success: v.boolean(),
  stdout: v.string(),
  stderr: v.string(),
  error: v.nullable(v.string()),
});
export type SystemRunResult = v.InferOutput<typeof SystemRunResultSchema>;

export const SystemWhichParamsSchema = v.looseObject({ bins: v.array(v.string()) });
