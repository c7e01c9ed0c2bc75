/**
 * `nodes` commands (placeholder until implemented).
 * @module
 */
import { Command } from "commander";
import type { Runner } from "../app.ts";
import { CliError, ExitCode } from "../exit_code.ts";

/** Builds the `nodes` command. */
export function nodesCommand(run: Runner): Command {
  return new Command("nodes").description("not implemented yet").action(run(() => {
    throw new CliError("usage", "`nodes` is not implemented yet", { exitCode: ExitCode.ERROR });
  }));
}
