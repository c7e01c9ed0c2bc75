/**
 * Result shapes of the operator read methods the real CLI's `status` / `health` call:
 * `status` (the status summary), `channels.status` and `last-heartbeat`.
 *
 * Source: `ChannelsStatusResultSchema` in `packages/gateway-protocol/src/schema/channels.ts`
 * (published), and, for `status` (no published schema), the summary built by
 * `src/commands/status.summary.ts` as the real gateway answers it (wire transcript
 * `status.jsonl`, openclaw@2026.9.6).
 * @module
 */
import { z } from "zod";

/** `channels.status` result; clawgate has no channels, so every map and list is empty. */
export const ChannelsStatusResultSchema = z.strictObject({
  ts: z.number().int().nonnegative(),
  channelOrder: z.array(z.string().min(1)),
  channelLabels: z.record(z.string(), z.string().min(1)),
  channelDetailLabels: z.record(z.string(), z.string().min(1)).optional(),
  channelSystemImages: z.record(z.string(), z.string().min(1)).optional(),
  channelMeta: z.array(z.unknown()).optional(),
  channels: z.record(z.string(), z.unknown()),
  channelAccounts: z.record(z.string(), z.array(z.unknown())),
  channelDefaultAccountId: z.record(z.string(), z.string()),
  eventLoop: z.unknown().optional(),
  statusIssues: z.array(z.unknown()).optional(),
});
export type ChannelsStatusResult = z.infer<typeof ChannelsStatusResultSchema>;

/**
 * `status` result: the gateway's status summary. Upstream publishes no schema for it; the
 * fields the real CLI reads are required here, the rest pass through.
 */
export const StatusSummarySchema = z.looseObject({
  runtimeVersion: z.string().nullable().optional(),
  heartbeat: z.looseObject({
    defaultAgentId: z.string(),
    agents: z.array(z.looseObject({ agentId: z.string(), enabled: z.boolean() })),
  }),
  channelSummary: z.array(z.unknown()),
  queuedSystemEvents: z.array(z.unknown()),
  sessions: z.looseObject({
    paths: z.array(z.string()),
    count: z.number().int().nonnegative(),
    defaults: z.looseObject({
      model: z.string().nullable(),
      contextTokens: z.number().nullable(),
    }),
    recent: z.array(z.unknown()),
    byAgent: z.array(z.unknown()),
  }),
  processMemory: z.looseObject({
    rssBytes: z.number(),
    heapUsedBytes: z.number(),
    heapTotalBytes: z.number(),
  }).optional(),
  pid: z.number().int().positive().optional(),
});
export type StatusSummary = z.infer<typeof StatusSummarySchema>;

/** `last-heartbeat` result: the last agent heartbeat event, `null` when none ran. */
export const LastHeartbeatSchema = z.looseObject({ ts: z.number() }).nullable();
