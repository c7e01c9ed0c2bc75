/**
 * `node` commands (placeholder until implemented).
 * @module
 */
import { Command } from "commander";
import type { Runner } from "../app.ts";
import { CliError, ExitCode } from "../exit_code.ts";

/** Builds the `node` command. */
export function nodeCommand(run: Runner): Command {
  return new Command("node").description("not implemented yet").action(run(() => {
    throw new CliError("usage", "`node` is not implemented yet", { exitCode: ExitCode.ERROR });
  }));
}
