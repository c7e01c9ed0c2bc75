/**
 * Commands as data: what a command is called, which arguments and flags it takes, its help text,
 * and how to load the code that runs it. The tree of these ({@linkcode CommandSpec}) is cheap to
 * import (no npm package, no schema, no config), so parsing and `--help` cost little; the chosen
 * command's implementation loads through {@linkcode CommandSpec.load} only when it runs.
 * @module
 */
import type { CliContext } from "./context.ts";

/** One flag. Values stay strings unless {@linkcode FlagSpec.parse} turns them into more. */
export interface FlagSpec {
  /** Long name in kebab case, without dashes: `local-port` (read back as `localPort`). */
  name: string;
  /** One-letter alias: `d` for `-d`. */
  short?: string;
  /** Placeholder of the value (`<n>`, `<K=V>`); absent for a boolean flag. */
  value?: string;
  /** Help text. */
  description: string;
  /** Value when the flag is not given (shown in help). */
  default?: string | number | boolean | string[];
  /**
   * Environment variable the command falls back to when the flag is absent. Documentation only:
   * the implementation reads it (with its own precedence), help shows it.
   */
  env?: string;
  /** Allowed values (checked, listed in help). */
  choices?: readonly string[];
  /** Converts the value; throws an `Error` whose message says what is wrong (→ exit 2). */
  parse?: (value: string) => unknown;
  /** May be given more than once; the values collect into an array. */
  repeatable?: boolean;
  /** Takes every following non-flag word as a value too (`--allow echo uname`); an array. */
  variadic?: boolean;
  /** Must be given (→ exit 2 when absent). */
  required?: boolean;
  /** Left out of help (internal flags). */
  hidden?: boolean;
}

/** One positional argument. */
export interface ArgSpec {
  /** Name shown in usage and errors: `method`, `node|requestId`. */
  name: string;
  description: string;
  /** Must be given. */
  required?: boolean;
  /** Takes all remaining operands (last argument only). */
  variadic?: boolean;
}

/** What a chosen command receives besides its context. */
export interface CommandInput {
  /** Operands in declaration order of {@linkcode CommandSpec.args} (variadic: `string[]`). */
  args: Record<string, string | string[] | undefined>;
  /** Flag values by camel-case name (`localPort`), defaults applied; no global flags. */
  flags: Record<string, unknown>;
  /** Camel-case names of the flags given on the command line (not from a default). */
  given: ReadonlySet<string>;
  /** Operands after the first `--` at the command's level, or undefined without one. */
  afterDash?: readonly string[];
}

/** A command implementation: returns an exit code (default 0) or throws. */
export type Action = (ctx: CliContext, input: CommandInput) => Promise<number | void>;

/** A command or a command group. */
export interface CommandSpec {
  name: string;
  /** One line (or a short paragraph) for help and the parent's command list. */
  summary: string;
  args?: readonly ArgSpec[];
  flags?: readonly FlagSpec[];
  subcommands?: readonly CommandSpec[];
  /** Loads the implementation (a dynamic `import()`); absent for a pure group. */
  load?: () => Promise<Action>;
}
