/**
 * Runs the command line: parse it against the command tree (./tree.ts, data only), answer
 * `--help` / `help` / `--version`, load the chosen command's implementation, run it, and turn
 * every error into an exit code (usage errors: 2, see {@linkcode UsageError}; the rest via
 * `toCliError`). Never exits the process itself.
 * @module
 */
import { versionLine } from "../build_kind.ts";
import { type CliDeps, createContext, type GlobalOptions } from "./context.ts";
import { CliError, ExitCode } from "./exit_code.ts";
import { parseArgv, type ParsedArgv, UsageError } from "./parse_argv.ts";
import { renderError } from "./render.ts";
import { resolveSecretFlags } from "./secret_input.ts";
import { programSpec } from "./tree.ts";

const enc = new TextEncoder();

/**
 * Parses `argv` and runs the selected command.
 *
 * @param argv Arguments after the program name.
 * @param deps Signal, writers and env.
 * @returns The process exit code (product.md "Exit codes").
 */
export async function runCli(argv: string[], deps: CliDeps): Promise<number> {
  const stderr = deps.stderr ?? ((t: string) => void Deno.stderr.writeSync(enc.encode(t)));
  const stdout = deps.stdout ?? ((t: string) => void Deno.stdout.writeSync(enc.encode(t)));

  let parsed: ParsedArgv;
  try {
    parsed = parseArgv(programSpec, argv);
    await checkProfile(parsed.globals.profile, parsed);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    if (argv.includes("--json")) {
      stdout(JSON.stringify({ ok: false, error: { code: "usage", message: err.message } }) + "\n");
    }
    stderr(
      `error: ${err.message}\n${err.suggestion ? `(${err.suggestion})\n` : ""}` +
        `(run ${err.commandLine} --help for usage)\n`,
    );
    return ExitCode.USAGE;
  }
  const { path, globals, input, helpPath } = parsed;
  if (helpPath) {
    stdout(await helpText(helpPath));
    return ExitCode.OK;
  }
  if (globals.version) {
    stdout(versionLine() + "\n");
    return ExitCode.OK;
  }
  if (globals.help) {
    stdout(await helpText(path));
    return ExitCode.OK;
  }
  const command = path[path.length - 1];
  if (!command.load) {
    // A group without a subcommand: its help, on stderr (nothing ran).
    stderr(await helpText(path));
    return ExitCode.OK;
  }
  const ctx = createContext({ ...deps, stdout, stderr }, globals as GlobalOptions);
  try {
    // --token-file / --password-file → token / password, for every command.
    resolveSecretFlags(input.flags, (line) => ctx.stderr(line + "\n"));
    const action = await command.load();
    return (await action(ctx, input)) ?? ExitCode.OK;
  } catch (err) {
    const cliErr = err instanceof CliError
      ? err
      : (await import("./to_cli_error.ts")).toCliError(err);
    renderError(ctx, cliErr);
    return cliErr.exitCode;
  }
}

/** The help text of the last command of `path` (the renderer loads only for help). */
async function helpText(path: ParsedArgv["path"]): Promise<string> {
  return (await import("./help.ts")).renderHelp(path);
}

/** Checks `--profile NAME` (the config code loads only when the flag is given). */
async function checkProfile(profile: unknown, parsed: ParsedArgv): Promise<void> {
  if (typeof profile !== "string") return;
  const { profileNameProblem } = await import("../config/profile.ts");
  const problem = profileNameProblem(profile);
  if (!problem) return;
  throw new UsageError(
    `option '--profile <name>' argument '${profile}' is invalid. ${problem}`,
    parsed.path.map((c) => c.name).join(" "),
  );
}
