/**
 * Snapshot shapes shared by `hello-ok`, `health`, `system-presence` and `presence`:
 * {@linkcode PresenceEntrySchema} and {@linkcode HealthSnapshotSchema}.
 *
 * Source: `packages/gateway-protocol/src/schema/snapshot.ts`, `src/gateway/health/collector.ts`
 * (openclaw@2026.9.6), protocol.md §5.2–5.3.
 * @module
 */
import { z } from "zod";

/** One presence entry; only `ts` is required. */
export const PresenceEntrySchema = z.object({
  ts: z.number(),
  host: z.string().optional(),
  clientId: z.string().optional(),
  ip: z.string().optional(),
  version: z.string().optional(),
  platform: z.string().optional(),
  deviceFamily: z.string().optional(),
  mode: z.string().optional(),
  reason: z.string().optional(),
  deviceId: z.string().optional(),
  roles: z.array(z.string()).optional(),
  scopes: z.array(z.string()).optional(),
  instanceId: z.string().optional(),
  text: z.string().optional(),
  connId: z.string().optional(),
}).passthrough();
export type PresenceEntry = z.infer<typeof PresenceEntrySchema>;

/** The `health` result; every field is optional upstream, `ok` is what clients read. */
export const HealthSnapshotSchema = z.object({
  ok: z.boolean().optional(),
  ts: z.number().optional(),
  durationMs: z.number().optional(),
  channels: z.record(z.string(), z.unknown()).optional(),
  channelOrder: z.array(z.string()).optional(),
  channelLabels: z.record(z.string(), z.unknown()).optional(),
  heartbeatSeconds: z.number().optional(),
  defaultAgentId: z.string().optional(),
  agents: z.array(z.unknown()).optional(),
  sessions: z.object({
    path: z.string(),
    count: z.number(),
    recent: z.array(z.unknown()),
  }).passthrough().optional(),
}).passthrough();
export type HealthSnapshot = z.infer<typeof HealthSnapshotSchema>;
