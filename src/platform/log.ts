/**
 * The logger: levelled lines on stderr with secrets masked. The only module allowed to write
 * to the console (lint `no-console` is exempted here alone).
 * @module
 */

/** Log levels in increasing verbosity. */
export type LogLevel = "error" | "warn" | "info" | "debug";
const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/** A logger; every method takes a message and optional structured fields. */
export interface Logger {
  error(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  debug(msg: string, fields?: Record<string, unknown>): void;
  /** Registers a secret whose occurrences are masked in every later line. */
  addSecret(secret: string | undefined): void;
}

const SECRET_KEYS = /token|password|secret|signature|privatekey/i;

/** Masks registered secrets and secret-named fields. */
export function redact(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join("***");
  return out;
}

function maskFields(fields: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields ?? {})) {
    if (v === undefined) continue;
    out[k] = SECRET_KEYS.test(k) ? "***" : v;
  }
  return out;
}

function formatFields(fields: Record<string, unknown>): string {
  const parts = Object.entries(fields).map(([k, v]) =>
    `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`
  );
  return parts.length ? " " + parts.join(" ") : "";
}

/**
 * Creates a logger writing `<iso time> <level> [<scope>] msg k=v…` lines to stderr.
 *
 * @param options.level Lines above this level are dropped. @default {"info"}
 * @param options.scope A tag such as `gateway` or `node`.
 * @param options.json Write one JSON object per line instead of text.
 * @param options.write Sink for a finished line (default: stderr). Tests pass their own.
 */
export function createLogger(
  options: {
    level?: LogLevel;
    scope?: string;
    json?: boolean;
    write?: (line: string) => void;
  } = {},
): Logger {
  const level = options.level ?? "info";
  const secrets = new Set<string>();
  // deno-lint-ignore no-console -- the one sanctioned console writer (style.md rule 15)
  const write = options.write ?? ((line: string) => console.error(line));
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] > ORDER[level]) return;
    const ts = new Date().toISOString();
    const masked = maskFields(fields);
    const line = options.json
      ? JSON.stringify({ ts, level: lvl, scope: options.scope, msg, ...masked })
      : `${ts} ${lvl} ${options.scope ? `[${options.scope}] ` : ""}${msg}${formatFields(masked)}`;
    write(redact(line, secrets));
  };
  return {
    error: (m, f) => emit("error", m, f),
    warn: (m, f) => emit("warn", m, f),
    info: (m, f) => emit("info", m, f),
    debug: (m, f) => emit("debug", m, f),
    addSecret: (s) => {
      if (s) secrets.add(s);
    },
  };
}

/** A logger that drops everything. */
export const silentLogger: Logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  addSecret() {},
};
