/**
 * What `nodes invoke` runs, in three steps (style.md "One CLI command"): {@linkcode parseInvoke}
 * turns the operands and flags into {@linkcode InvokeOptions} (pure), {@linkcode runInvoke}
 * makes the RPCs (`node.list`, `node.invoke` with `operator.write`) and prints nothing,
 * {@linkcode renderInvoke} prints the result and picks the exit code. Loaded when `nodes invoke`
 * is chosen (./nodes.ts declares it).
 * @module
 */
import { Scopes } from "../../protocol/mod.ts";
import type { CliContext } from "../context.ts";
import { CliError, ExitCode } from "../exit_code.ts";
import { type OperatorFlags, parseTimeoutMs, withOperatorSession } from "../operator_session.ts";
import { writeJson } from "../render.ts";
import { parseParamsJson } from "./gateway.ts";
import { invokeArgvAfterDash, systemRunExitCode } from "./invoke_argv.ts";
import { listNodes, resolveNode } from "./nodes.ts";

/** The invoke command line as commander hands it over. */
export interface InvokeInput {
  /** `<node>`: id, id prefix or display name. */
  query: string;
  /** `[command]` as commander parsed it. */
  command?: string;
  /** `[argv...]` as commander parsed it. */
  argv: string[];
  /** `--params` JSON text. */
  params?: string;
  /** The whole command line after the program name (to find the `--`). */
  rawArgs: readonly string[];
  /** The invoke command's operands (commander's `cmd.args`). */
  operands: readonly string[];
  /** `--timeout` when given on the command line (ms, as typed), else undefined. */
  timeout?: string | number;
}

/** What to invoke, and with which deadlines. */
export interface InvokeOptions {
  query: string;
  /** The node command, e.g. `system.run`, `system.which`. */
  command: string;
  /** The command's params; undefined sends none. */
  params?: unknown;
  /** The node-side deadline (`node.invoke` `timeoutMs`); 30 000 unless `--timeout`. */
  invokeTimeoutMs: number;
  /** The connection and `node.list` deadline: at least 10 000 ms. */
  rpcTimeoutMs: number;
}

/** The `node.invoke` response. */
export interface InvokeResult {
  payload?: unknown;
  nodeId: string;
  command: string;
}

/**
 * `nodes invoke <node> [system.run] -- argv…` → system.run with that argv (merged into
 * `--params`), else `<node> <command> [--params JSON]`.
 *
 * @throws {CliError} exit 2: nothing after `--`, `--` with a command other than system.run, no
 *   command, operands without `--`, bad `--params` or `--timeout`.
 */
export function parseInvoke(input: InvokeInput): InvokeOptions {
  let params: unknown;
  let command = input.command;
  const split = invokeArgvAfterDash(input.rawArgs, input.operands);
  if (split) {
    if (!split.argv.length) {
      throw new CliError("usage", "Nothing after `--`: give the argv to run", {
        exitCode: ExitCode.USAGE,
      });
    }
    if (split.before.length > 1 && split.before[1] !== "system.run") {
      throw new CliError("usage", "`-- argv…` only works with system.run", {
        exitCode: ExitCode.USAGE,
      });
    }
    command = "system.run";
    const extra = input.params ? parseParamsJson(input.params) as Record<string, unknown> : {};
    params = { ...extra, command: split.argv };
  } else {
    if (!command) {
      throw new CliError("usage", "Missing <command> (or `-- argv…` for system.run)", {
        exitCode: ExitCode.USAGE,
        hint: "e.g. clawgate nodes invoke mynode -- echo hi",
      });
    }
    if (input.argv.length) {
      throw new CliError("usage", `Unexpected arguments: ${input.argv.join(" ")}`, {
        exitCode: ExitCode.USAGE,
        hint: "Put the argv for system.run after `--`",
      });
    }
    params = input.params ? parseParamsJson(input.params) : undefined;
  }
  // --timeout is the invoke deadline (node-side timeoutMs); default 30 s.
  const invokeTimeoutMs = input.timeout === undefined
    ? 30_000
    : parseTimeoutMs(input.timeout, 30_000);
  return {
    query: input.query,
    command,
    params,
    invokeTimeoutMs,
    rpcTimeoutMs: Math.max(invokeTimeoutMs, 10_000),
  };
}

/**
 * Resolves the node and calls `node.invoke`; prints nothing.
 *
 * @throws {CliError} exit 2 no or several matching nodes; connection and RPC errors as
 *   withOperatorSession throws them.
 */
export async function runInvoke(
  ctx: CliContext,
  flags: OperatorFlags,
  opts: InvokeOptions,
): Promise<InvokeResult | undefined> {
  const started = performance.now();
  const res = await withOperatorSession(
    ctx,
    { ...flags, timeout: opts.rpcTimeoutMs },
    [Scopes.WRITE],
    async (c, _t, ms) => {
      const node = resolveNode(await listNodes(c, ms), opts.query);
      return await c.request<InvokeResult>(
        "node.invoke",
        {
          nodeId: node.nodeId,
          command: opts.command,
          ...(opts.params !== undefined ? { params: opts.params } : {}),
          timeoutMs: opts.invokeTimeoutMs,
          idempotencyKey: crypto.randomUUID(),
        },
        { timeoutMs: opts.invokeTimeoutMs + 5_000 },
      );
    },
  );
  ctx.logger.debug("invoke round trip", { ms: Math.round(performance.now() - started) });
  return res;
}

/**
 * Prints the result: with `--json` the whole response; a system.run result as the command's
 * stdout/stderr; otherwise the payload as JSON.
 *
 * @returns The exit code: system.run's own (see systemRunExitCode), else 0.
 */
export function renderInvoke(
  ctx: CliContext,
  opts: InvokeOptions,
  res: InvokeResult | undefined,
): number {
  const payload = res?.payload as Record<string, unknown> | undefined;
  const isRun = opts.command === "system.run" && typeof payload?.stdout === "string";
  if (ctx.globals.json) {
    writeJson(ctx, res);
    return isRun ? systemRunExitCode(payload!) : ExitCode.OK;
  }
  if (isRun) {
    ctx.stdout(payload!.stdout as string);
    if (typeof payload!.stderr === "string") ctx.stderr(payload!.stderr);
    if (payload!.timedOut) ctx.stderr(`error: command timed out on the node\n`);
    else if (typeof payload!.error === "string" && payload!.error) {
      ctx.stderr(`error: ${payload!.error}\n`);
    }
    return systemRunExitCode(payload!);
  }
  writeJson(ctx, payload ?? null);
  return ExitCode.OK;
}
