/**
 * Config discovery and precedence (flags > env > file > defaults) for every command.
 *
 * File: `--config`, else `$CLAWGATE_CONFIG_PATH`, else `<stateDir>/clawgate.json`.
 * Env: `CLAWGATE_GATEWAY_{PORT,URL,TOKEN,PASSWORD}`, each falling back to `OPENCLAW_…`.
 * @module
 */
import { joinPath } from "../platform/join_path.ts";
import { resolveStateDir } from "../platform/state_dir.ts";
import { ConfigError } from "./config_error.ts";
import { defaultGatewayPort, resolveProfile } from "./profile.ts";
import type { Config } from "./schema.ts";

/** Environment lookup function. */
export type EnvGet = (key: string) => string | undefined;

/** A loaded config plus where it came from. */
export interface LoadedConfig {
  /** The file that was (or would have been) read. */
  path: string;
  /** Whether the file existed. */
  exists: boolean;
  config: Config;
  stateDir: string;
}

/**
 * Reads `CLAWGATE_<name>`, falling back to `OPENCLAW_<name>`.
 *
 * @param env Environment lookup.
 * @param name Suffix such as `GATEWAY_TOKEN`.
 * @returns The value and the variable it came from, or undefined.
 */
export function envSetting(
  env: EnvGet,
  name: string,
): { value: string; source: string } | undefined {
  for (const prefix of ["CLAWGATE_", "OPENCLAW_"]) {
    const value = env(prefix + name);
    if (value !== undefined && value !== "") return { value, source: prefix + name };
  }
  return undefined;
}

/**
 * Finds, reads and validates the config file.
 *
 * @param options.configPath The `--config` flag; a missing explicit file is an error.
 * @param options.env Environment lookup (default `Deno.env.get`).
 * @returns The config; `{}` when no file exists at the default location.
 * @throws {ConfigError} Missing explicit file, unreadable file, bad JSON5, wrong key type.
 */
export async function loadConfig(
  options: { configPath?: string; env?: EnvGet } = {},
): Promise<LoadedConfig> {
  const env = options.env ?? ((k: string) => Deno.env.get(k));
  const stateDir = resolveStateDir(env);
  const explicit = options.configPath ?? env("CLAWGATE_CONFIG_PATH");
  const path = explicit ?? joinPath(stateDir, "clawgate.json");
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound && explicit === undefined) {
      return { path, exists: false, config: {}, stateDir };
    }
    const why = err instanceof Deno.errors.NotFound ? "file not found" : (err as Error).message;
    throw new ConfigError(path, why);
  }
  // The parser (and json5 with it) loads only when there is a file to parse.
  const { parseConfig } = await import("./parse.ts");
  return { path, exists: true, config: parseConfig(text, path), stateDir };
}

/**
 * Resolves the gateway port: flag > `CLAWGATE_GATEWAY_PORT` (`N` or `host:N`) > `gateway.port` >
 * the profile's default (18789 without a profile, see {@linkcode defaultGatewayPort}).
 *
 * @throws {ConfigError} When the env value is not a valid port or `CLAWGATE_PROFILE` is invalid.
 */
export function resolveGatewayPort(flag: number | undefined, env: EnvGet, config: Config): number {
  if (flag !== undefined) return flag;
  const fromEnv = envSetting(env, "GATEWAY_PORT");
  if (fromEnv) {
    const n = Number(fromEnv.value.includes(":") ? fromEnv.value.split(":").pop() : fromEnv.value);
    if (!Number.isInteger(n) || n < 1 || n > 65535) {
      throw new ConfigError(`env ${fromEnv.source}`, `not a port number: "${fromEnv.value}"`);
    }
    return n;
  }
  return config.gateway?.port ?? defaultGatewayPort(resolveProfile(env));
}
