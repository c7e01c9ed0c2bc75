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
import type { Action, CommandInput } from "../spec.ts";
import { parseParamsJson } from "./gateway_call_run.ts";
import { systemRunExitCode } from "./invoke_argv.ts";
import { listNodes, resolveNode } from "./nodes_run.ts";

/** The invoke command line, as parsed. */
export interface InvokeInput {
  /** `<node>`: id, id prefix or display name. */
  query: string;
  /** `[command]`: the operand after `<node>` before any `--`. */
  command?: string;
  /** Further operands before any `--` (an error: the argv goes after `--`). */
  argv: readonly string[];
  /** The operands after `--` (the system.run argv); undefined without a `--`. */
  afterDash?: readonly string[];
  /** `--params` JSON text. */
  params?: string;
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
  if (input.afterDash) {
    if (!input.afterDash.length) {
      throw new CliError("usage", "Nothing after `--`: give the argv to run", {
        exitCode: ExitCode.USAGE,
      });
    }
    if (command !== undefined && command !== "system.run") {
      throw new CliError("usage", "`-- argv…` only works with system.run", {
        exitCode: ExitCode.USAGE,
      });
    }
    if (input.argv.length) {
      throw new CliError("usage", `Unexpected arguments before --: ${input.argv.join(" ")}`, {
        exitCode: ExitCode.USAGE,
        hint: "Put the whole argv for system.run after `--`",
      });
    }
    command = "system.run";
    const extra = input.params ? parseParamsJson(input.params) as Record<string, unknown> : {};
    params = { ...extra, command: [...input.afterDash] };
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

/**
 * Splits the parsed `nodes invoke` operands into `<node> [command] [more…]` and the system.run
 * argv after the `--` (the parser hands over both, in order). `nodes invoke -- box …`, with
 * nothing before the `--`, has no argv: that `--` only ended the flags.
 *
 * @example
 * ```ts
 * import { invokeOperands } from "./nodes_invoke_run.ts";
 * const split = invokeOperands({ node: "box", command: "echo", argv: ["hi"] }, ["echo", "hi"]);
 * console.assert(split.before.join() === "box" && split.afterDash?.join(" ") === "echo hi");
 * ```
 */
export function invokeOperands(
  args: CommandInput["args"],
  afterDash: readonly string[] | undefined,
): { before: string[]; afterDash?: readonly string[] } {
  const operands = [
    args.node as string,
    ...(args.command === undefined ? [] : [args.command as string]),
    ...(args.argv as string[] ?? []),
  ];
  const dash = afterDash && afterDash.length < operands.length ? afterDash : undefined;
  return { before: operands.slice(0, operands.length - (dash?.length ?? 0)), afterDash: dash };
}

/** The `nodes invoke` action. */
export const invokeMain: Action = async (ctx, { args, flags, given, afterDash }) => {
  const split = invokeOperands(args, afterDash);
  const opts = parseInvoke({
    query: split.before[0],
    command: split.before[1],
    argv: split.before.slice(2),
    afterDash: split.afterDash,
    params: flags.params as string | undefined,
    timeout: given.has("timeout") ? flags.timeout as string : undefined,
  });
  return renderInvoke(ctx, opts, await runInvoke(ctx, flags as OperatorFlags, opts));
};
