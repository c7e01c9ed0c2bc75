/**
 * Exit codes (small and stable, documented in README.md) and {@linkcode CliError}, the one
 * error class whose message a user sees.
 * @module
 */

/** Process exit codes: product.md "Exit codes". */
export const ExitCode = {
  OK: 0,
  ERROR: 1,
  USAGE: 2,
  CONFIG: 3,
  UNREACHABLE: 4,
  TIMEOUT: 5,
  REMOTE: 6,
  AUTH: 7,
  /** Stopped by SIGINT (Ctrl-C) before the command finished: 128 + 2, as shells report it. */
  INTERRUPTED: 130,
  /** Stopped by SIGTERM before the command finished: 128 + 15. */
  TERMINATED: 143,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** Machine-readable error codes used in the `--json` error envelope. */
export type CliErrorCode =
  | "usage"
  | "config"
  | "unreachable"
  | "timeout"
  | "remote_error"
  | "auth"
  | "credentials_required"
  | "pairing_required"
  | "interrupted"
  | "internal";

/**
 * An error meant for the user: what failed (message), what to do next (hint) and the exit code.
 *
 * @example
 * ```ts
 * import { CliError, ExitCode } from "./exit_code.ts";
 * const e = new CliError("config", "Cannot read config", { exitCode: ExitCode.CONFIG, hint: "fix it" });
 * console.assert(e.exitCode === 3);
 * ```
 */
export class CliError extends Error {
  readonly code: CliErrorCode;
  readonly exitCode: ExitCodeValue;
  readonly hint?: string;
  readonly details?: Record<string, unknown>;

  constructor(
    code: CliErrorCode,
    message: string,
    options: {
      exitCode: ExitCodeValue;
      hint?: string;
      cause?: unknown;
      details?: Record<string, unknown>;
    },
  ) {
    super(message, { cause: options.cause });
    this.name = "CliError";
    this.code = code;
    this.exitCode = options.exitCode;
    this.hint = options.hint;
    this.details = options.details;
  }
}

/**
 * The error for a command a signal stopped before it finished (exit 130 for SIGINT, 143 for
 * SIGTERM; main.ts aborts the context's signal with the signal's name as its reason).
 *
 * @param signal The context's aborted signal.
 * @param message What was interrupted and what was undone.
 */
export function interruptedError(signal: AbortSignal, message: string): CliError {
  const term = signal.reason === "SIGTERM";
  return new CliError("interrupted", `Interrupted (${term ? "SIGTERM" : "SIGINT"}): ${message}`, {
    exitCode: term ? ExitCode.TERMINATED : ExitCode.INTERRUPTED,
  });
}
