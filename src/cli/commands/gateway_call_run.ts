/**
 * What `gateway call|send|agent` run: one RPC to a gateway, its payload printed as JSON (both
 * modes). Loaded when one of them is chosen (./gateway.ts declares them).
 * @module
 */
import { requiredScope, Scopes } from "../../protocol/mod.ts";
import type { CliContext } from "../context.ts";
import { CliError, ExitCode } from "../exit_code.ts";
import { type OperatorFlags, withOperatorSession } from "../operator_session.ts";
import { writeJson } from "../render.ts";
import type { Action } from "../spec.ts";

/** Scopes an arbitrary method call requests: the method's own, plus admin for pairing approvals. */
export function scopesForMethod(method: string): string[] {
  const scope = requiredScope(method);
  if (!scope) return [Scopes.READ];
  if (scope === Scopes.PAIRING) return [Scopes.PAIRING, Scopes.ADMIN];
  return [scope];
}

/** Parses `--params` JSON. @throws {CliError} exit 2 with the JSON error. */
export function parseParamsJson(text: string | undefined): unknown {
  if (text === undefined) return {};
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError("usage", `Invalid --params: ${(err as Error).message}`, {
      exitCode: ExitCode.USAGE,
      hint: `Pass a JSON object, e.g. --params '{"nodeId":"abc"}'`,
    });
  }
}

/** Calls one method and prints its payload as JSON (both modes). */
async function callAndPrint(
  ctx: CliContext,
  flags: OperatorFlags & { expectFinal?: boolean },
  method: string,
  params: unknown,
): Promise<number> {
  const payload = await withOperatorSession(
    ctx,
    flags,
    scopesForMethod(method),
    (client, _t, timeoutMs) =>
      client.request(method, params, { timeoutMs, expectFinal: flags.expectFinal }),
  );
  if (!ctx.globals.json) ctx.stderr(`Gateway call: ${method}\n`);
  writeJson(ctx, payload ?? null);
  return ExitCode.OK;
}

/** `gateway call <method> [--params JSON] [--expect-final]`. */
export const callMain: Action = (ctx, { args, flags }) =>
  callAndPrint(
    ctx,
    flags as OperatorFlags & { expectFinal?: boolean },
    args.method as string,
    parseParamsJson(flags.params as string | undefined),
  );

/** `gateway send --to T --message M [--channel C]`. */
export const sendMain: Action = (ctx, { flags }) =>
  callAndPrint(ctx, flags as OperatorFlags, "send", {
    to: flags.to,
    message: flags.message,
    ...(flags.channel ? { channel: flags.channel } : {}),
    idempotencyKey: crypto.randomUUID(),
  });

/** `gateway agent --message M [--agent-id ID]`. */
export const agentMain: Action = (ctx, { flags }) =>
  callAndPrint(ctx, flags as OperatorFlags & { expectFinal?: boolean }, "agent", {
    message: flags.message,
    ...(flags.agentId ? { agentId: flags.agentId } : {}),
    idempotencyKey: crypto.randomUUID(),
  });
