/**
 * Answers one `node.invoke.request`: `system.run` (planned by run_plan.ts, then the executor),
 * `system.which`, anything else → `UNAVAILABLE "command not supported"`; and shapes the
 * `node.invoke.result` params. protocol.md §5.4, §6.
 * @module
 */
import * as v from "valibot";
import type { NodeInvokeRequest } from "../protocol/events.ts";
import {
  SystemRunParamsSchema,
  type SystemRunResult,
  SystemWhichParamsSchema,
} from "../protocol/nodes.ts";
import { NODE_COMMANDS } from "./connect_params.ts";
import type { ExecPolicy } from "./exec_policy.ts";
import type { Executor } from "./executor.ts";
import { planSystemRun } from "./run_plan.ts";
import { systemWhich } from "./which.ts";

/** The node's answer to one invoke. */
export type InvokeOutcome =
  | { ok: true; payload: unknown }
  | { ok: false; code: string; message: string };

/** What {@linkcode dispatchInvoke} needs. */
export interface InvokeDeps {
  policy: ExecPolicy;
  executor: Executor;
  /** The node's own environment (children inherit it, sanitized). @default {Deno.env.toObject()} */
  nodeEnv?: Record<string, string>;
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
    const p = v.safeParse(SystemWhichParamsSchema, params);
    if (!p.success) return { ok: false, code: "INVALID_REQUEST", message: "bins required" };
    return { ok: true, payload: await systemWhich(p.output.bins) };
  }
  const p = v.safeParse(SystemRunParamsSchema, params);
  if (!p.success) return { ok: false, code: "INVALID_REQUEST", message: "command required" };
  const run = p.output;
  const planned = await planSystemRun(run, deps.policy, deps.nodeEnv ?? Deno.env.toObject());
  if (planned.kind === "refused") return { ok: false, ...planned.refusal };
  const result: SystemRunResult = planned.kind === "not-found"
    ? {
      exitCode: null,
      timedOut: false,
      success: false,
      stdout: "",
      stderr: "",
      error: planned.message,
    }
    : await deps.executor.run({
      command: [planned.plan.program, ...run.command.slice(1)],
      cwd: run.cwd,
      env: planned.plan.env,
      timeoutMs: run.timeoutMs ?? req.timeoutMs,
    });
  // Like OpenClaw's node host, report the finished exec as a node event; `command` is the
  // argv that ran (a mismatching rawCommand was refused above).
  const extra = run as Record<string, unknown>;
  deps.onExecFinished?.({
    sessionKey: typeof extra.sessionKey === "string" ? extra.sessionKey : "node",
    runId: typeof extra.runId === "string" ? extra.runId : req.id,
    host: "node",
    command: planned.kind === "run" ? planned.plan.commandText : planned.commandText,
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

/**
 * Log fields for an outcome: `ok` is false for refusals and for runs that failed, timed out
 * or could not start (the invoke itself succeeded, the command did not).
 */
export function invokeLogFields(outcome: InvokeOutcome): Record<string, unknown> {
  if (!outcome.ok) return { ok: false, error: `${outcome.code}: ${outcome.message}` };
  const run = outcome.payload as Partial<SystemRunResult> | undefined;
  if (typeof run?.success !== "boolean") return { ok: true };
  return {
    ok: run.success,
    exitCode: run.exitCode,
    ...(run.timedOut ? { timedOut: true } : {}),
    ...(run.error ? { error: run.error } : {}),
  };
}
