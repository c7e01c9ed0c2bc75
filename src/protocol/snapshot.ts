/**
 * Snapshot shapes shared by `hello-ok`, `health`, `system-presence` and `presence`:
 * {@linkcode PresenceEntrySchema} and {@linkcode HealthSnapshotSchema}.
 *
 * Source: `packages/gateway-protocol/src/schema/snapshot.ts`, `src/gateway/health/collector.ts`
 * (openclaw@2026.9.6), protocol.md §5.2–5.3.
 * @module
 */
import * as v from "valibot";
import { NonEmptyString, NonNegativeInt } from "./_shapes.ts";

/** `presence[].user`: the authenticated person behind a connection, when known. */
const PresenceUserSchema = v.strictObject({
  id: NonEmptyString,
  identity: v.optional(v.strictObject({ type: v.literal("profile"), id: NonEmptyString })),
  email: v.optional(NonEmptyString),
  name: v.optional(NonEmptyString),
  avatarUrl: v.optional(NonEmptyString),
});

/**
 * One presence entry; only `ts` is required. Closed, as upstream (`additionalProperties:
 * false`): connection ids and other gateway internals have no place here.
 */
export const PresenceEntrySchema = v.strictObject({
  host: v.optional(NonEmptyString),
  clientId: v.optional(NonEmptyString),
  ip: v.optional(NonEmptyString),
  version: v.optional(NonEmptyString),
  platform: v.optional(NonEmptyString),
  deviceFamily: v.optional(NonEmptyString),
  modelIdentifier: v.optional(NonEmptyString),
  timeZone: v.optional(NonEmptyString),
  mode: v.optional(NonEmptyString),
  lastInputSeconds: v.optional(NonNegativeInt),
  reason: v.optional(NonEmptyString),
  tags: v.optional(v.array(NonEmptyString)),
  text: v.optional(v.string()),
  ts: NonNegativeInt,
  onlineSince: v.optional(NonNegativeInt),
  lastActivityAt: v.optional(NonNegativeInt),
  deviceId: v.optional(NonEmptyString),
  roles: v.optional(v.array(NonEmptyString)),
  scopes: v.optional(v.array(NonEmptyString)),
  instanceId: v.optional(NonEmptyString),
  user: v.optional(PresenceUserSchema),
  watchedSessions: v.optional(v.array(NonEmptyString)),
});
export type PresenceEntry = v.InferOutput<typeof PresenceEntrySchema>;

/** Fields of {@linkcode HealthSnapshotSchema}, shared with {@linkcode HealthResultSchema}. */
const healthSnapshotEntries = {
  ok: v.optional(v.literal(true)),
  ts: v.optional(NonNegativeInt),
  durationMs: v.optional(NonNegativeInt),
  eventLoop: v.optional(v.unknown()),
  plugins: v.optional(v.unknown()),
  contextEngines: v.optional(v.unknown()),
  deliveryQueues: v.optional(v.unknown()),
  modelPricing: v.optional(v.unknown()),
  configReload: v.optional(v.unknown()),
  channels: v.optional(v.record(v.string(), v.unknown())),
  channelOrder: v.optional(v.array(v.string())),
  channelLabels: v.optional(v.record(v.string(), v.string())),
  heartbeatSeconds: v.optional(NonNegativeInt),
  defaultAgentId: v.optional(v.string()),
  agents: v.optional(v.array(v.unknown())),
  sessions: v.optional(v.object({
    path: v.string(),
    count: NonNegativeInt,
    recent: v.array(v.unknown()),
  })),
};

/**
 * The `health` result and `hello-ok.snapshot.health`. Closed at the top level, as upstream:
 * every field is optional; `ok` is what clients read. The nested diagnostics blocks clawgate
 * never produces (`eventLoop`, `plugins`, …) are carried as opaque values.
 */
export const HealthSnapshotSchema = v.strictObject(healthSnapshotEntries);
export type HealthSnapshot = v.InferOutput<typeof HealthSnapshotSchema>;

/**
 * The `health` method's result: the snapshot health plus fields upstream's `health` handler
 * adds outside the snapshot (`modelRuntime`, seen on the wire from openclaw@2026.9.6), so it is
 * open where {@linkcode HealthSnapshotSchema} is closed.
 */
export const HealthResultSchema = v.looseObject(healthSnapshotEntries);
export type HealthResult = v.InferOutput<typeof HealthResultSchema>;
