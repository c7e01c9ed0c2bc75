/**
 * Output: human text or one JSON document on stdout; errors as a human message on stderr or
 * the `{"ok":false,"error":{code,message,hint}}` envelope on stdout under `--json`.
 * @module
 */
import type { CliError } from "./exit_code.ts";
import type { CliContext } from "./context.ts";

/** Writes one JSON document (pretty, newline-terminated) to stdout. */
export function writeJson(ctx: CliContext, value: unknown): void {
  ctx.stdout(JSON.stringify(value, null, 2) + "\n");
}

/** Writes one NDJSON line to stdout (streams). */
export function writeJsonLine(ctx: CliContext, value: unknown): void {
  ctx.stdout(JSON.stringify(value) + "\n");
}

/** Writes a line of human text to stdout. */
export function writeLine(ctx: CliContext, text = ""): void {
  ctx.stdout(text + "\n");
}

/** Renders a command failure according to `--json`. */
export function renderError(ctx: CliContext, err: CliError): void {
  if (ctx.globals.json) {
    const error: Record<string, unknown> = { code: err.code, message: err.message };
    if (err.hint) error.hint = err.hint;
    if (err.details) error.details = err.details;
    writeJson(ctx, { ok: false, error });
  }
  ctx.stderr(`error: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ""}`);
  if (ctx.globals.verbose && err.cause instanceof Error && err.cause.stack) {
    ctx.stderr(`caused by: ${err.cause.stack}\n`);
  }
}

/** Renders rows as an aligned text table with a header. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const fmt = (r: string[]) => r.map((c, i) => (c ?? "").padEnd(widths[i])).join("  ").trimEnd();
  return [fmt(headers), ...rows.map(fmt)].join("\n");
}

/** "12s ago", "5m ago", "3h ago" for an epoch-ms timestamp; "-" when absent. */
export function formatAge(ms?: number, nowMs: number = Date.now()): string {
  if (!ms) return "-";
  const s = Math.max(0, Math.round((nowMs - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  return `${Math.round(s / 3600)}h ago`;
}
