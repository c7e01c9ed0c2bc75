/**
 * `status`, `channels.status`, `system-presence`, `last-heartbeat` and `config.get` (secrets
 * redacted), answered in upstream's shapes so the real CLI's `status`/`health` read them.
 *
 * Source of the method names and scopes: protocol.md §5.1 and §5.3.
 * @module
 */
import * as v from "valibot";
import type { ChannelsStatusResult, StatusSummary } from "../../protocol/mod.ts";
import { VERSION } from "../../version.ts";
import type { GatewayState } from "../state.ts";
import { method, type MethodTable } from "./registry.ts";

const SECRET_KEY = /^(token|password|secret|deviceToken|privateKey)$/i;

/** Deep copy of `value` with secret-named keys replaced by `"***"`. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) && typeof v === "string" ? "***" : redactSecrets(v);
    }
    return out;
  }
  return value;
}

/**
 * The `status` payload in upstream's status-summary shape (`src/commands/status.summary.ts`,
 * openclaw@2026.9.6): clawgate runs no agents, channels, sessions or tasks, so those lists are
 * empty; `runtimeVersion`, `processMemory` and `pid` are this process's. Gateway facts the
 * summary has no room for travel where upstream carries them: uptime and auth mode in
 * `hello-ok.snapshot`, clients in `system-presence`.
 */
export function statusPayload(_state: GatewayState): StatusSummary {
  const mem = Deno.memoryUsage();
  return {
    runtimeVersion: VERSION,
    heartbeat: { defaultAgentId: "main", agents: [] },
    channelSummary: [],
    queuedSystemEvents: [],
    sessions: {
      paths: [],
      count: 0,
      defaults: { model: null, contextTokens: null },
      recent: [],
      byAgent: [],
    },
    processMemory: {
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      heapTotalBytes: mem.heapTotal,
      externalBytes: mem.external,
    },
    pid: Deno.pid,
  };
}

/** The `channels.status` payload: no channels (`ChannelsStatusResultSchema`, upstream). */
export function channelsStatusPayload(): ChannelsStatusResult {
  return {
    ts: Date.now(),
    channelOrder: [],
    channelLabels: {},
    channelDetailLabels: {},
    channelSystemImages: {},
    channelMeta: [],
    channels: {},
    channelAccounts: {},
    channelDefaultAccountId: {},
    statusIssues: [],
  };
}

/** `diagnostics.stability` params (`normalizeDiagnosticStabilityQuery` upstream). */
const StabilityParams = v.optional(v.looseObject({
  limit: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(1_000))),
  type: v.optional(v.pipe(v.string(), v.minLength(1))),
  sinceSeq: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(0))),
}));

/**
 * The `diagnostics.stability` payload: clawgate records no diagnostic events, so the
 * snapshot is empty (shape of `getDiagnosticStabilitySnapshot`, openclaw@2026.9.6; capacity
 * 1000, 16 for `type: "telemetry.exporter"`).
 */
export function stabilitySnapshot(type?: string): Record<string, unknown> {
  return {
    generatedAt: new Date().toISOString(),
    capacity: type === "telemetry.exporter" ? 16 : 1_000,
    count: 0,
    dropped: 0,
    events: [],
    summary: { byType: {} },
  };
}

/** Read-scoped status methods. */
export const statusMethods: MethodTable = {
  status: method({ handler: ({ state }) => statusPayload(state) }),
  "channels.status": method({ handler: () => channelsStatusPayload() }),
  "diagnostics.stability": method({
    params: StabilityParams,
    handler: ({ params }) => stabilitySnapshot(params?.type),
  }),
  "system-presence": method({ handler: ({ state }) => state.presence() }),
  "last-heartbeat": method({ handler: () => null }),
  "config.get": method({
    handler: ({ state }) => ({
      path: state.loaded.path,
      exists: state.loaded.exists,
      valid: true,
      config: redactSecrets(state.loaded.config),
    }),
  }),
};
