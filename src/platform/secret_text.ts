/**
 * The one rule for reading a secret out of a file's text, shared by the CLI's `--token-file` /
 * `*_FILE` inputs and the service's own 0600 secret files. No imports: it loads at CLI start-up.
 * @module
 */

/**
 * The secret a file's text holds: the text without its trailing `\r`/`\n` characters.
 *
 * @example Trailing newlines go, inner text stays
 * ```ts
 * import { secretFromText } from "./secret_text.ts";
 * console.assert(secretFromText("s3cret\r\n\n") === "s3cret");
 * ```
 */
export function secretFromText(text: string): string {
  return text.replace(/[\r\n]+$/, "");
}
