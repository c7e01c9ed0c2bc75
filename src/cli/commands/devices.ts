/**
 * `devices` commands (placeholder until implemented).
 * @module
 */
import { Command } from "commander";
import type { Runner } from "../app.ts";
import { CliError, ExitCode } from "../exit_code.ts";

/** Builds the `devices` command. */
export function devicesCommand(run: Runner): Command {
  return new Command("devices").description("not implemented yet").action(run(() => {
    throw new CliError("usage", "`devices` is not implemented yet", { exitCode: ExitCode.ERROR });
  }));
}
