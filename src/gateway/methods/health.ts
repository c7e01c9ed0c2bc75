/**
 * `health`: the gateway is up and answering. No channels, agents or sessions exist in
 * clawgate, so those fields are empty in the shape the real CLI prints.
 *
 * Source: `src/gateway/health/collector.ts` (openclaw@2026.9.6), protocol.md §0a and §5.3.
 * @module
 */
import type { HealthSnapshot } from "../../protocol/mod.ts";
import type { GatewayState } from "../state.ts";
import { method, type MethodTable } from "./registry.ts";

/** The health payload. */
export function healthSnapshot(_state: GatewayState): HealthSnapshot {
  const started = performance.now();
  return {
    ok: true,
    ts: Date.now(),
    durationMs: Math.round(performance.now() - started),
    channels: {},
    channelOrder: [],
    channelLabels: {},
    heartbeatSeconds: 0,
    agents: [],
    sessions: { path: "", count: 0, recent: [] },
  };
}

/** `health` (no scope needed, any role). */
export const healthMethods: MethodTable = {
  health: method({ handler: ({ state }) => healthSnapshot(state) }),
};
