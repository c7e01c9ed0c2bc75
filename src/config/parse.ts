/**
 * Pure parsing of a config file's text: JSON5 → validated {@linkcode Config}. No I/O.
 * @module
 */
import JSON5 from "json5";
import { type Config, ConfigSchema } from "./schema.ts";

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

/**
 * Parses and validates config text.
 *
 * @param text JSON5 text (comments, unquoted keys, trailing commas allowed).
 * @param path The file name, used in error messages.
 * @returns The validated config.
 * @throws {ConfigError} On a syntax error or a key with a wrong type or value.
 *
 * @example
 * ```ts
 * import { parseConfig } from "./parse.ts";
 * const c = parseConfig("{gateway: {port: 18790,}} // json5", "x.json");
 * console.assert(c.gateway?.port === 18790);
 * ```
 */
export function parseConfig(text: string, path: string): Config {
  let raw: unknown;
  try {
    raw = JSON5.parse(text);
  } catch (err) {
    throw new ConfigError(path, `not valid JSON5: ${(err as Error).message}`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigError(path, "the top level must be an object like {gateway: {...}}");
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(path, issue.message, issue.path.map(String).join("."));
  }
  return parsed.data;
}
