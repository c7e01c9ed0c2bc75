/**
 * `status`, `system-presence`, `last-heartbeat` and `config.get` (secrets redacted).
 *
 * Source of the method names and scopes: protocol.md §5.1 and §5.3.
 * @module
 */
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

/** The `status` payload. */
export function statusPayload(state: GatewayState): Record<string, unknown> {
  const mem = Deno.memoryUsage();
  return {
    runtimeVersion: VERSION,
    implementation: "clawgate",
    pid: Deno.pid,
    uptimeMs: state.uptimeMs,
    gateway: {
      bind: state.info.bind,
      host: state.info.host,
      port: state.info.port,
      authMode: state.info.auth.mode,
      configPath: state.loaded.exists ? state.loaded.path : undefined,
    },
    connections: state.connectionCounts(),
    heartbeat: { enabled: false },
    channelSummary: [],
    sessions: { count: 0 },
    processMemory: {
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      heapTotalBytes: mem.heapTotal,
    },
  };
}

/** Read-scoped status methods. */
export const statusMethods: MethodTable = {
  status: method({ handler: ({ state }) => statusPayload(state) }),
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
