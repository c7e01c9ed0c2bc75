/**
 * The command tree: root flags (`--json --verbose --config`), subcommands mounted from
 * `commands/`, commander usage errors mapped to exit 2, and every action wrapped so errors
 * become exit codes (see {@linkcode toCliError}). Never exits the process itself.
 * @module
 */
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { profileNameProblem } from "../config/profile.ts";
import { versionLine } from "../build_kind.ts";
import { type CliDeps, createContext, type GlobalOptions } from "./context.ts";
import { CliError, ExitCode } from "./exit_code.ts";
import { renderError } from "./render.ts";
import { toCliError } from "./to_cli_error.ts";
import { resolveSecretFlags } from "./secret_input.ts";
import type { Runner } from "./runner.ts";
import { gatewayCommand } from "./commands/gateway.ts";
import { healthCommand } from "./commands/health.ts";
import { statusCommand } from "./commands/status.ts";
import { mountOptionalCommands } from "./commands/optional.ts";

/**
 * Parses `argv` and runs the selected command.
 *
 * @param argv Arguments after the program name.
 * @param deps Signal, writers and env.
 * @returns The process exit code (product.md "Exit codes").
 */
export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  let exitCode: number = ExitCode.OK;
  const stderr = deps.stderr ??
    ((t: string) => void Deno.stderr.writeSync(new TextEncoder().encode(t)));
  const stdout = deps.stdout ??
    ((t: string) => void Deno.stdout.writeSync(new TextEncoder().encode(t)));

  const run: Runner = (body) => async (...args) => {
    const cmd = args[args.length - 1] as unknown as Command;
    const globals = cmd.optsWithGlobals() as GlobalOptions;
    const ctx = createContext({ ...deps, stdout, stderr }, globals);
    try {
      // --token-file / --password-file → token / password, for every command (same object
      // commander hands the action as its options).
      resolveSecretFlags(cmd.opts(), (line) => ctx.stderr(line + "\n"));
      exitCode = (await body(ctx, ...args)) ?? ExitCode.OK;
    } catch (err) {
      const cliErr = toCliError(err);
      renderError(ctx, cliErr);
      exitCode = cliErr.exitCode;
    }
  };

  const program = new Command("clawgate")
    .description(
      "OpenClaw-compatible gateway, operator CLI and headless node in one binary.\n" +
        "Env: CLAWGATE_PROFILE, CLAWGATE_STATE_DIR, CLAWGATE_CONFIG_PATH, CLAWGATE_REMOTE, CLAWGATE_GATEWAY_{PORT,URL,TOKEN,PASSWORD} (OPENCLAW_* as fallback)",
    )
    .version(versionLine(), "-V, --version")
    .option("--json", "print one JSON document on stdout (NDJSON for streams)")
    .option("--verbose", "more logs on stderr")
    .option(
      "--config <path>",
      "config file (JSON5); default $CLAWGATE_CONFIG_PATH or <stateDir>/clawgate.json",
    )
    .option(
      "--profile <name>",
      "isolated profile: state dir ~/.clawgate-<name>, own port and service names; env CLAWGATE_PROFILE",
      parseProfileFlag,
    )
    .option(
      "--remote <name>",
      "use remotes.NAME from the config (operator commands, tunnel, node connect); env CLAWGATE_REMOTE",
    )
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: stdout, writeErr: stderr })
    .exitOverride();

  program.addCommand(gatewayCommand(run));
  program.addCommand(healthCommand(run));
  program.addCommand(statusCommand(run));
  mountOptionalCommands(program, run);

  for (const cmd of allCommands(program)) {
    cmd.exitOverride().configureOutput({ writeOut: stdout, writeErr: stderr });
    cmd.showHelpAfterError("(run with --help for usage)");
  }

  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === "commander.helpDisplayed" || err.code === "commander.version" ||
        err.code === "commander.help"
      ) {
        return ExitCode.OK;
      }
      if (argv.includes("--json")) {
        stdout(
          JSON.stringify({ ok: false, error: { code: "usage", message: err.message } }) + "\n",
        );
      }
      return ExitCode.USAGE;
    }
    const cliErr = err instanceof CliError ? err : toCliError(err);
    stderr(`error: ${cliErr.message}\n`);
    return cliErr.exitCode;
  }
  return exitCode;
}

function parseProfileFlag(value: string): string {
  const problem = profileNameProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return value;
}

function* allCommands(cmd: Command): Generator<Command> {
  yield cmd;
  for (const sub of cmd.commands) yield* allCommands(sub as Command);
}
