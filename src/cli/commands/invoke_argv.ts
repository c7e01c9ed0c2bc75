/**
 * `nodes invoke <node> [system.run] -- argv…`: which exit code a `system.run` result gives the
 * CLI (the same with and without `--json`).
 * @module
 */
import { ExitCode } from "../exit_code.ts";

/**
 * The CLI exit code for a `system.run` result: the command's own exit code; 5 (timeout) when
 * the node killed it at its deadline; 1 when it had none (killed by a signal, not found, could
 * not start).
 */
export function systemRunExitCode(payload: Record<string, unknown>): number {
  if (payload.timedOut === true) return ExitCode.TIMEOUT;
  return typeof payload.exitCode === "number" ? payload.exitCode : ExitCode.ERROR;
}
