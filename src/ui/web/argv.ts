/**
 * Splits a command line typed in the invoke console into argv: whitespace separates words,
 * `'…'` and `"…"` group them, `\` escapes the next character outside single quotes. No
 * expansion of any kind: the node runs the argv directly (system.run), never through a shell.
 * @module
 */

/**
 * @throws {SyntaxError} An unclosed quote.
 * @example
 * ```ts
 * import { splitArgv } from "./argv.ts";
 * console.assert(splitArgv(`echo "hi there" x`).join("|") === "echo|hi there|x");
 * ```
 */
export function splitArgv(line: string): string[] {
  const out: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else if (c === "\\" && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) out.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new SyntaxError(`Cannot split the command: unclosed ${quote} quote`);
  if (inWord) out.push(word);
  return out;
}
