/**
 * Snapshot shapes shared by `hello-ok`, `health`, `system-presence` and `presence`:
 * {@linkcode PresenceEntrySchema} and {@linkcode HealthSnapshotSchema}.
 *
 * Source: `packages/gateway-protocol/src/schema/snapshot.ts`, `src/gateway/health/collector.ts`
 * (openclaw@2026.9.6), protocol.md §5.2–5.3.
 * @module
 */
import { z } from "zod";

/** `presence[].user`: the authenticated person behind a connection, when known. */
const PresenceUserSchema = z.strictObject({
  id: z.string().min(1),
  identity: z.strictObject({ type: z.literal("profile"), id: z.string().min(1) }).optional(),
  email: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  avatarUrl: z.string().min(1).optional(),
});

/**
 * One presence entry; only `ts` is required. Closed, as upstream (`additionalProperties:
 * false`): connection ids and other gateway internals have no place here.
 */
export const PresenceEntrySchema = z.strictObject({
  host: z.string().min(1).optional(),
  clientId: z.string().min(1).optional(),
  ip: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
  platform: z.string().min(1).optional(),
  deviceFamily: z.string().min(1).optional(),
  modelIdentifier: z.string().min(1).optional(),
  timeZone: z.string().min(1).optional(),
  mode: z.string().min(1).optional(),
  lastInputSeconds: z.number().int().nonnegative().optional(),
  reason: z.string().min(1).optional(),
  tags: z.array(z.string().min(1)).optional(),
  text: z.string().optional(),
  ts: z.number().int().nonnegative(),
  onlineSince: z.number().int().nonnegative().optional(),
  lastActivityAt: z.number().int().nonnegative().optional(),
  deviceId: z.string().min(1).optional(),
  roles: z.array(z.string().min(1)).optional(),
  scopes: z.array(z.string().min(1)).optional(),
  instanceId: z.string().min(1).optional(),
  user: PresenceUserSchema.optional(),
  watchedSessions: z.array(z.string().min(1)).optional(),
});
export type PresenceEntry = z.infer<typeof PresenceEntrySchema>;

/**
 * The `health` result and `hello-ok.snapshot.health`. Closed at the top level, as upstream:
 * every field is optional; `ok` is what clients read. The nested diagnostics blocks clawgate
 * never produces (`eventLoop`, `plugins`, …) are carried as opaque values.
 */
export const HealthSnapshotSchema = z.strictObject({
  ok: z.literal(true).optional(),
  ts: z.number().int().nonnegative().optional(),
  durationMs: z.number().int().nonnegative().optional(),
  eventLoop: z.unknown().optional(),
  plugins: z.unknown().optional(),
  contextEngines: z.unknown().optional(),
  deliveryQueues: z.unknown().optional(),
  modelPricing: z.unknown().optional(),
  configReload: z.unknown().optional(),
  channels: z.record(z.string(), z.unknown()).optional(),
  channelOrder: z.array(z.string()).optional(),
  channelLabels: z.record(z.string(), z.string()).optional(),
  heartbeatSeconds: z.number().int().nonnegative().optional(),
  defaultAgentId: z.string().optional(),
  agents: z.array(z.unknown()).optional(),
  sessions: z.object({
    path: z.string(),
    count: z.number().int().nonnegative(),
    recent: z.array(z.unknown()),
  }).optional(),
});
export type HealthSnapshot = z.infer<typeof HealthSnapshotSchema>;

/**
 * The `health` method's result: the snapshot health plus fields upstream's `health` handler
 * adds outside the snapshot (`modelRuntime`, seen on the wire from openclaw@2026.9.6), so it is
 * open where {@linkcode HealthSnapshotSchema} is closed.
 */
export const HealthResultSchema = z.looseObject(HealthSnapshotSchema.shape);
export type HealthResult = z.infer<typeof HealthResultSchema>;
