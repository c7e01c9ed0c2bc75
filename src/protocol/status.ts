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
import * as v from "valibot";
import { NonEmptyString, NonNegativeInt } from "./_shapes.ts";

/** `channels.status` result; clawgate has no channels, so every map and list is empty. */
export const ChannelsStatusResultSchema = v.strictObject({
  ts: NonNegativeInt,
  channelOrder: v.array(NonEmptyString),
  channelLabels: v.record(v.string(), NonEmptyString),
  channelDetailLabels: v.optional(v.record(v.string(), NonEmptyString)),
  channelSystemImages: v.optional(v.record(v.string(), NonEmptyString)),
  channelMeta: v.optional(v.array(v.unknown())),
  channels: v.record(v.string(), v.unknown()),
  channelAccounts: v.record(v.string(), v.array(v.unknown())),
  channelDefaultAccountId: v.record(v.string(), v.string()),
  eventLoop: v.optional(v.unknown()),
  statusIssues: v.optional(v.array(v.unknown())),
});
export type ChannelsStatusResult = v.InferOutput<typeof ChannelsStatusResultSchema>;

/**
 * `status` result: the gateway's status summary. Upstream publishes no schema for it; the
 * fields the real CLI reads are required here, the rest pass through.
 */
export const StatusSummarySchema = v.looseObject({
  runtimeVersion: v.optional(v.nullable(v.string())),
  heartbeat: v.looseObject({
    defaultAgentId: v.string(),
    agents: v.array(v.looseObject({ agentId: v.string(), enabled: v.boolean() })),
  }),
  channelSummary: v.array(v.unknown()),
  queuedSystemEvents: v.array(v.unknown()),
  sessions: v.looseObject({
    paths: v.array(v.string()),
    count: NonNegativeInt,
    defaults: v.looseObject({
      model: v.nullable(v.string()),
      contextTokens: v.nullable(v.number()),
    }),
    recent: v.array(v.unknown()),
    byAgent: v.array(v.unknown()),
  }),
  processMemory: v.optional(v.looseObject({
    rssBytes: v.number(),
    heapUsedBytes: v.number(),
    heapTotalBytes: v.number(),
  })),
  pid: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
});
export type StatusSummary = v.InferOutput<typeof StatusSummarySchema>;

/** `last-heartbeat` result: the last agent heartbeat event, `null` when none ran. */
export const LastHeartbeatSchema = v.nullable(v.looseObject({ ts: v.number() }));
