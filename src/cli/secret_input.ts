/**
 * One way to pass gateway secrets without putting them on a command line: `--token-file` /
 * `--password-file` on every command that takes `--token` / `--password`, and
 * `<NAME>_FILE` for every secret environment variable (`CLAWGATE_GATEWAY_TOKEN_FILE`, …).
 *
 * The file's content is the secret with trailing newlines (`\n`, `\r\n`) removed. A file that
 * is group- or world-readable gets a warning; a missing, unreadable or empty file is a config
 * error (exit 3). Giving both a value and its file is a usage error (exit 2).
 * @module
 */
import type { FlagSpec } from "./spec.ts";
import { CliError, ExitCode } from "./exit_code.ts";
import { secretFromText } from "../platform/secret_text.ts";

/** Environment variables that hold secrets and may instead name a file with `<NAME>_FILE`. */
export const SECRET_ENV_KEYS: readonly string[] = [
  "CLAWGATE_GATEWAY_TOKEN",
  "CLAWGATE_GATEWAY_PASSWORD",
  "OPENCLAW_GATEWAY_TOKEN",
  "OPENCLAW_GATEWAY_PASSWORD",
];

/** Secret flags and the flag naming their file (camel-case keys, as parsed). */
const SECRET_FLAGS = [
  { key: "token", fileKey: "tokenFile", flag: "--token", fileFlag: "--token-file" },
  { key: "password", fileKey: "passwordFile", flag: "--password", fileFlag: "--password-file" },
] as const;

/**
 * The `--token`, `--token-file`, `--password` and `--password-file` flags, for every command
 * that takes a gateway secret (one declaration, so each such command gets the file forms).
 *
 * @param what What the secret is for, e.g. "gateway" or "the health-check".
 * @param fallback Where the secret comes from without flags, e.g. "env CLAWGATE_GATEWAY_TOKEN".
 */
export function secretFlags(
  what = "gateway",
  fallback = { token: "env CLAWGATE_GATEWAY_TOKEN", password: "env CLAWGATE_GATEWAY_PASSWORD" },
): FlagSpec[] {
  return [
    {
      name: "token",
      value: "<token>",
      description: `${what} token (visible in ps: prefer --token-file); ${fallback.token}`,
    },
    {
      name: "token-file",
      value: "<file>",
      description: `read the ${what} token from a file (trailing newline trimmed)`,
    },
    {
      name: "password",
      value: "<password>",
      description: `${what} password (prefer --password-file); ${fallback.password}`,
    },
    {
      name: "password-file",
      value: "<file>",
      description: `read the ${what} password from a file`,
    },
  ];
}

/**
 * Reads one secret file.
 *
 * @param path The file.
 * @param source What named it (`--token-file`, `env CLAWGATE_GATEWAY_TOKEN_FILE`), for messages.
 * @param warn Receives one line when the file is readable by group or others.
 * @returns The content without trailing `\r`/`\n`.
 * @throws {CliError} exit 3 when the file is missing, unreadable, a directory or empty.
 */
export function readSecretFile(path: string, source: string, warn: (line: string) => void): string {
  let text: string;
  let mode: number | null = null;
  try {
    mode = Deno.statSync(path).mode;
    text = Deno.readTextFileSync(path);
  } catch (err) {
    const why = err instanceof Deno.errors.NotFound ? "file not found" : (err as Error).message;
    throw new CliError("config", `Cannot read secret file ${path} (${source}): ${why}`, {
      exitCode: ExitCode.CONFIG,
      hint: `Check the path given to ${source} and that this user can read it`,
      cause: err,
    });
  }
  const secret = secretFromText(text);
  if (!secret) {
    throw new CliError("config", `Secret file ${path} (${source}) is empty`, {
      exitCode: ExitCode.CONFIG,
      hint: "Write the secret into the file (a trailing newline is fine)",
    });
  }
  if (mode !== null && (mode & 0o077) !== 0) {
    warn(
      `warning: secret file ${path} (${source}) is readable by group or others (mode ${
        (mode & 0o777).toString(8).padStart(4, "0")
      }); run: chmod 600 ${path}`,
    );
  }
  return secret;
}

/**
 * Replaces `tokenFile` / `passwordFile` in parsed flags by `token` / `password` (in place).
 *
 * @throws {CliError} exit 2 when both `--token` and `--token-file` (or the password pair) are
 *   given; exit 3 from {@linkcode readSecretFile}.
 */
export function resolveSecretFlags(
  flags: Record<string, unknown>,
  warn: (line: string) => void,
): void {
  for (const s of SECRET_FLAGS) {
    const file = flags[s.fileKey];
    if (typeof file !== "string") continue;
    if (flags[s.key] !== undefined) {
      throw new CliError("usage", `${s.flag} and ${s.fileFlag} cannot be used together`, {
        exitCode: ExitCode.USAGE,
        hint: `Keep ${s.fileFlag} (it keeps the secret out of ps) and drop ${s.flag}`,
      });
    }
    flags[s.key] = readSecretFile(file, s.fileFlag, warn);
    delete flags[s.fileKey];
  }
}

/**
 * Wraps an environment lookup so each of {@linkcode SECRET_ENV_KEYS} falls back to reading the
 * file named by `<NAME>_FILE`. Each file is read at most once per wrapper.
 *
 * @throws {CliError} (from the returned lookup) exit 2 when both `NAME` and `NAME_FILE` are
 *   set; exit 3 from {@linkcode readSecretFile}.
 */
export function withSecretFileEnv(
  env: (key: string) => string | undefined,
  warn: (line: string) => void,
): (key: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (key) => {
    if (!SECRET_ENV_KEYS.includes(key)) return env(key);
    if (cache.has(key)) return cache.get(key);
    const direct = env(key);
    const file = env(`${key}_FILE`);
    let value = direct;
    if (file) {
      if (direct) {
        throw new CliError("usage", `${key} and ${key}_FILE are both set`, {
          exitCode: ExitCode.USAGE,
          hint: `Unset one of them (prefer ${key}_FILE)`,
        });
      }
      value = readSecretFile(file, `env ${key}_FILE`, warn);
    }
    cache.set(key, value);
    return value;
  };
}
