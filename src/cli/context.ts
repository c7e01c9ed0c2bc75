/**
 * The context every command receives: output writers, environment, abort signal and the
 * global flags (`--json`, `--verbose`, `--config`, `--profile`).
 * @module
 */
import type { LoadedConfig } from "../config/load.ts";
import { createLogger, type Logger } from "../platform/log.ts";
import { withSecretFileEnv } from "./secret_input.ts";

/** Global flags shared by every command. */
export interface GlobalOptions {
  json?: boolean;
  verbose?: boolean;
  config?: string;
  /** `--profile NAME`: seen by every resolver as `CLAWGATE_PROFILE` (src/config/profile.ts). */
  profile?: string;
  /** `--remote NAME`: the entry of `remotes` to use. */
  remote?: string;
}

/** What a command needs from the outside world; tests and main.ts provide it. */
export interface CliDeps {
  /** Aborted on SIGINT/SIGTERM. */
  signal: AbortSignal;
  /** Writes to stdout (a newline is not added). */
  stdout?: (text: string) => void;
  /** Writes to stderr (a newline is not added). */
  stderr?: (text: string) => void;
  /** Environment lookup. */
  env?: (key: string) => string | undefined;
}

/** The per-invocation context built from deps + global flags. */
export interface CliContext {
  signal: AbortSignal;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: (key: string) => string | undefined;
  globals: GlobalOptions;
  logger: Logger;
  /** Loads (once) and returns the config selected by `--config` / env / state dir. */
  config(): Promise<LoadedConfig>;
}

const enc = new TextEncoder();

/**
 * Builds a context; the default writers go to the process's stdout and stderr. Secret env
 * variables also accept `<NAME>_FILE` (see {@linkcode withSecretFileEnv}).
 */
export function createContext(deps: CliDeps, globals: GlobalOptions): CliContext {
  const stderr = deps.stderr ?? ((t: string) => void Deno.stderr.writeSync(enc.encode(t)));
  const baseEnv = deps.env ?? ((k: string) => Deno.env.get(k));
  const env = withSecretFileEnv(
    globals.profile === undefined
      ? baseEnv
      : (k: string) => k === "CLAWGATE_PROFILE" ? globals.profile : baseEnv(k),
    (line) => stderr(line + "\n"),
  );
  let loaded: Promise<LoadedConfig> | undefined;
  return {
    signal: deps.signal,
    stdout: deps.stdout ?? ((t) => void Deno.stdout.writeSync(enc.encode(t))),
    stderr,
    env,
    globals,
    logger: createLogger({ level: globals.verbose ? "debug" : "info", scope: "clawgate" }),
    // The config code loads on first use: commands that need no config never pay for it.
    config:
      () => (loaded ??= import("../config/load.ts").then((m) =>
        m.loadConfig({ configPath: globals.config, env })
      )),
  };
}
