/**
 * The error every config problem is reported as (exit 3 through src/cli/to_cli_error.ts); kept
 * apart from the parser so reporting one does not load json5.
 * @module
 */

/** A config problem: the file, the key path (`gateway.auth.mode`) and what is wrong. */
export class ConfigError extends Error {
  readonly path: string;
  readonly keyPath?: string;
  constructor(path: string, message: string, keyPath?: string) {
    super(`Invalid config ${path}${keyPath ? ` at ${keyPath}` : ""}: ${message}`);
    this.name = "ConfigError";
    this.path = path;
    this.keyPath = keyPath;
  }
}
