/**
 * `nodes invoke <node> [system.run] -- argv…`: where the argv starts, and which exit code a
 * `system.run` result gives the CLI (the same with and without `--json`).
 * @module
 */
import { ExitCode } from "../exit_code.ts";

/**
 * Finds the `--` that starts the system.run argv. Commander drops every `--` it consumes and
 * hands the command its operands (`<node> [command] argv…`), so the split is recovered from the
 * raw argv: the first `--` whose tail is exactly the end of the operands, with at least the
 * `<node>` operand before it. An earlier `--` (`clawgate -- nodes invoke …`, as
 * `deno task clawgate -- …` passes it) is skipped because its tail is longer than the operands.
 *
 * @param rawArgs The whole command line after the program name.
 * @param operands The invoke command's operands as commander parsed them (after a leading
 *   `--` commander keeps the inner `--` as an operand; it is not counted).
 * @returns The operands before the `--` (`<node> [command]`) and the argv after it, or
 *   `undefined` when the invoke has no `--`.
 *
 * @example
 * ```ts
 * import { invokeArgvAfterDash } from "./invoke_argv.ts";
 * const raw = ["--", "nodes", "invoke", "box", "--", "echo", "hi"];
 * const split = invokeArgvAfterDash(raw, ["box", "--", "echo", "hi"]);
 * console.assert(split?.argv.join(" ") === "echo hi" && split.before.join() === "box");
 * ```
 */
export function invokeArgvAfterDash(
  rawArgs: readonly string[],
  operands: readonly string[],
): { before: string[]; argv: string[] } | undefined {
  for (let i = 0; i < rawArgs.length; i++) {
    if (rawArgs[i] !== "--") continue;
    const argv = rawArgs.slice(i + 1);
    const at = operands.length - argv.length;
    if (at < 1 || !argv.every((a, j) => a === operands[at + j])) continue;
    const before = operands.slice(0, at);
    if (before[before.length - 1] === "--") before.pop();
    if (before.length >= 1) return { before, argv };
  }
  return undefined;
}

/**
 * The CLI exit code for a `system.run` result: the command's own exit code; 5 (timeout) when
 * the node killed it at its deadline; 1 when it had none (killed by a signal, not found, could
 * not start).
 */
export function systemRunExitCode(payload: Record<string, unknown>): number {
  if (payload.timedOut === true) return ExitCode.TIMEOUT;
  return typeof payload.exitCode === "number" ? payload.exitCode : ExitCode.ERROR;
}
