/**
 * UTF-8 byte length of a string, for the frame size limits. Its own module because it needs
 * `node:buffer`, whose first import sets up Deno's Node compatibility layer (a few ms): a client that only
 * decodes frames ({@linkcode ./client.ts}) does not pay for it.
 * @module
 */
import { Buffer } from "node:buffer";

/**
 * UTF-8 byte length of a string, computed natively without encoding it.
 *
 * @example
 * ```ts
 * import { utf8Length } from "./utf8_length.ts";
 * console.assert(utf8Length("é") === 2);
 * ```
 */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}
