/**
 * Pure parsing of a config file's text: JSON5 → validated {@linkcode Config}. No I/O. Loaded
 * only when a config file exists (src/config/load.ts imports it then), so json5 stays out of
 * start-up otherwise; {@linkcode ConfigError} lives in ./config_error.ts.
 * @module
 */
import * as v from "valibot";
import JSON5 from "json5";
import { type Config, ConfigSchema } from "./schema.ts";
import { ConfigError } from "./config_error.ts";

export { ConfigError };

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
  const parsed = v.safeParse(ConfigSchema, raw);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    throw new ConfigError(
      path,
      issue.message,
      issue.path?.map((p) => String(p.key)).join(".") ?? "",
    );
  }
  return parsed.output;
}
