/**
 * Value checks for flags (`FlagSpec.parse`): each throws an `Error` saying what is expected,
 * which the parser reports as `option '--x <n>' argument 'v' is invalid. <message>` (exit 2).
 * @module
 */

/** A 1-65535 port. @throws {Error} Otherwise. */
export function portValue(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error("Expected a port 1-65535");
  return n;
}

/** A 0-65535 port (0: any free port). @throws {Error} Otherwise. */
export function listenPortValue(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error("Expected a port 0-65535");
  return n;
}

/** Whole milliseconds, at least 100. @throws {Error} Otherwise. */
export function msValue(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 100) throw new Error("Expected milliseconds >= 100");
  return n;
}
