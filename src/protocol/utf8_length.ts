/**
 * UTF-8 byte length of a string, for the frame size limits, counted from its UTF-16 code units
 * (no `node:buffer`: `gateway run` loads none of Node's compatibility layer, issue 7).
 * @module
 */

/**
 * UTF-8 byte length of a string, without encoding it. A lone surrogate counts 3 bytes (what
 * `TextEncoder` writes for it: U+FFFD).
 *
 * @example
 * ```ts
 * import { utf8Length } from "./utf8_length.ts";
 * console.assert(utf8Length("é") === 2 && utf8Length("😀") === 4);
 * ```
 */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 2; // 2 code units, 4 bytes
        i++;
      } else bytes += 2;
    } else bytes += 2;
  }
  return bytes;
}

/**
 * Whether `text` takes more than `maxBytes` in UTF-8. Counts only when the answer is not clear
 * from the code-unit count alone (each unit is 1 to 3 bytes), so frames well under a limit cost
 * nothing.
 *
 * @example
 * ```ts
 * import { utf8Exceeds } from "./utf8_length.ts";
 * console.assert(utf8Exceeds("éé", 3) && !utf8Exceeds("éé", 4));
 * ```
 */
export function utf8Exceeds(text: string, maxBytes: number): boolean {
  if (text.length > maxBytes) return true;
  if (text.length * 3 <= maxBytes) return false;
  return utf8Length(text) > maxBytes;
}
