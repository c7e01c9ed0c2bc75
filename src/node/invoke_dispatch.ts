/**
 * Answers one `node.invoke.request`: `system.run` (exec policy, then the executor),
 * `system.which`, anything else → `UNAVAILABLE "command not supported"`; and shapes the
 * `node.invoke.result` params. protocol.md §5.4, §6.
 * @module
 */
import type { NodeInvokeRequest } from "../protocol/events.ts";
import { SystemRunParamsSchema, SystemWhichParamsSchema } from "../protocol/nodes.ts";
import { NODE_COMMANDS } from "./connect_params.ts";
import { checkExecPolicy, type ExecPolicy } from "./exec_policy.ts";
import type { Executor } from "./executor.ts";
import { systemWhich, whichBin } from "./which.ts";

/** The node's answer to one invoke. */
export type InvokeOutcome =
  | { ok: true; payload: unknown }
  | { ok: false; code: string; message: string };

/** What {@linkcode dispatchInvoke} needs. */
export interface InvokeDeps {
  policy: ExecPolicy;
  executor: Executor;
  /** Receives the `exec.finished` node-event payload after each `system.run` (best effort). */
  onExecFinished?: (payload: Record<string, unknown>) => void;
}

/** Runs one invoke request; never throws for a bad request (that is an `ok:false` outcome). */
export async function dispatchInvoke(
  req: NodeInvokeRequest,
  deps: InvokeDeps,
): Promise<InvokeOutcome> {
  if (!(NODE_COMMANDS as readonly string[]).includes(req.command)) {
    return { ok: false, code: "UNAVAILABLE", message: "command not supported" };
  }
  let params: unknown = req.params;
  if (params === undefined) {
    if (typeof req.paramsJSON !== "string" || req.paramsJSON === "") {
      return { ok: false, code: "INVALID_REQUEST", message: "paramsJSON required" };
    }
    try {
      params = JSON.parse(req.paramsJSON);
    } catch {
      return { ok: false, code: "INVALID_REQUEST", message: "malformed JSON" };
    }
  }
  if (req.command === "system.which") {
    const p = SystemWhichParamsSchema.safeParse(params);
    if (!p.success) return { ok: false, code: "INVALID_REQUEST", message: "bins required" };
    return { ok: true, payload: await systemWhich(p.data.bins) };
  }
  const p = SystemRunParamsSchema.safeParse(params);
  if (!p.success) return { ok: false, code: "INVALID_REQUEST", message: "command required" };
  const run = p.data;
  const resolved = deps.policy.mode === "allowlist"
    ? await whichBin(run.command[0], run.env?.PATH)
    : null;
  const refusal = checkExecPolicy(deps.policy, run.command, resolved);
  if (refusal) return { ok: false, ...refusal };
  const result = await deps.executor.run({
    command: run.command,
    cwd: run.cwd,
    env: run.env,
    timeoutMs: run.timeoutMs ?? req.timeoutMs,
  });
  // Like OpenClaw's node host, report the finished exec as a node event.
  const extra = run as Record<string, unknown>;
  deps.onExecFinished?.({
    sessionKey: typeof extra.sessionKey === "string" ? extra.sessionKey : "node",
    runId: typeof extra.runId === "string" ? extra.runId : req.id,
    host: "node",
    command: run.rawCommand ?? run.command.join(" "),
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    success: result.success,
    output: (result.stdout + result.stderr).trim().slice(0, 4000),
    suppressNotifyOnExit: false,
  });
  return { ok: true, payload: result };
}

/** The `node.invoke.result` params for an outcome. */
export function invokeResultParams(
  req: NodeInvokeRequest,
  outcome: InvokeOutcome,
): Record<string, unknown> {
  const params: Record<string, unknown> = { id: req.id, nodeId: req.nodeId, ok: outcome.ok };
  if (outcome.ok) params.payloadJSON = JSON.stringify(outcome.payload);
  else params.error = { code: outcome.code, message: outcome.message };
  return params;
}
