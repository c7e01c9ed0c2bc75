/**
 * What `health` and `gateway health` run: one handshake + `health` RPC; exit 0 only when the
 * gateway says ok. In two steps (style.md "One CLI command"): {@linkcode checkHealth} makes the
 * call and prints nothing, {@linkcode renderHealth} prints and picks the exit code. Loaded only
 * when one of them is chosen (./health.ts declares them); it imports only the protocol modules
 * the handshake needs (tests/cli_import_graph_test.ts).
 * @module
 */
import { Scopes } from "../../protocol/scopes.ts";
import type { HealthSnapshot } from "../../protocol/snapshot.ts";
import type { CliContext } from "../context.ts";
import type { Action } from "../spec.ts";
import { CliError, ExitCode } from "../exit_code.ts";
import { type OperatorFlags, withOperatorSession } from "../operator_session.ts";
import { writeJson, writeLine } from "../render.ts";

/** A health check's outcome. */
export interface HealthResult {
  /** The gateway's `health` payload. */
  payload?: HealthSnapshot;
  /** The gateway URL used. */
  url: string;
  /** Connect + handshake + `health`, in milliseconds. */
  roundTripMs: number;
}

/**
 * Connects and calls `health` (scope `operator.read`); prints nothing.
 *
 * @throws {CliError | TransportError | RpcError} As withOperatorSession throws them.
 */
export async function checkHealth(ctx: CliContext, flags: OperatorFlags): Promise<HealthResult> {
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
  return { payload, url, roundTripMs: Math.round(performance.now() - started) };
}

/**
 * Prints a health check (the payload as JSON with `--json`).
 *
 * @returns 0 when the gateway says ok.
 * @throws {CliError} exit 6 when it does not.
 */
export function renderHealth(ctx: CliContext, { payload, url, roundTripMs }: HealthResult): number {
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

/** The `health` / `gateway health` action. */
export const healthMain: Action = async (ctx, { flags }) =>
  renderHealth(ctx, await checkHealth(ctx, flags as OperatorFlags));
