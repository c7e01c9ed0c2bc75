/**
 * `health`: one handshake + `health` RPC; exit 0 only when the gateway says ok.
 * @module
 */
import { Command } from "commander";
import { type HealthSnapshot, Scopes } from "../../protocol/mod.ts";
import type { Runner } from "../runner.ts";
import type { CliContext } from "../context.ts";
import { CliError, ExitCode } from "../exit_code.ts";
import { type OperatorFlags, withOperatorSession } from "../operator_session.ts";
import { writeJson, writeLine } from "../render.ts";
import { withConnectionFlags } from "./gateway.ts";

/** Runs the health check and renders it; shared by `health` and `gateway health`. */
export async function runHealth(ctx: CliContext, flags: OperatorFlags): Promise<number> {
  const started = performance.now();
  const { payload, url } = await withOperatorSession(
    ctx,
    flags,
    [Scopes.READ],
    async (client, target, timeoutMs) => ({
      payload: await client.request<HealthSnapshot>("health", undefined, { timeoutMs }),
      url: target.url,
    }),
  );
  const roundTripMs = Math.round(performance.now() - started);
  if (ctx.globals.json) writeJson(ctx, payload);
  else {
    writeLine(ctx, "Gateway Health");
    writeLine(ctx, `${payload?.ok ? "OK" : "NOT OK"} (${payload?.durationMs ?? roundTripMs}ms)`);
    if (ctx.globals.verbose) writeLine(ctx, `Gateway target: ${url} · round trip ${roundTripMs}ms`);
  }
  if (!payload?.ok) {
    throw new CliError("remote_error", `Gateway at ${url} reports not healthy`, {
      exitCode: ExitCode.REMOTE,
    });
  }
  return ExitCode.OK;
}

/** Builds `health`. */
export function healthCommand(run: Runner): Command {
  return withConnectionFlags(
    new Command("health").description("check the gateway: handshake + health; exit 0 only if ok"),
  ).action(run((ctx: CliContext, flags: OperatorFlags) => runHealth(ctx, flags)));
}
