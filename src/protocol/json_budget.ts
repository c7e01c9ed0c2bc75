/**
 * A linear pre-parse check of JSON text: nesting depth, number of containers (objects and
 * arrays) and values counted outside strings, and escapes inside strings, stopping at the
 * first excess.
 * `JSON.parse` cost grows with the number of values, not bytes: 24 MB of nested `[` blocked
 * the gateway for 6.5 s and 25 MB of `[{},{},…]` costs as much, while a 25 MB string parses in
 * ~0.1 s. Bounding the counts bounds the parse (and the later re-serialisation) for any frame.
 *
 * Strings are skipped with `indexOf` (native search), so text that is mostly string content
 * (command output, base64) is checked at memory speed.
 * @module
 */

/** Limits checked by {@linkcode checkJsonBudget}. */
export interface JsonBudget {
  /** Deepest allowed nesting of objects/arrays. */
  maxDepth: number;
  /** Most objects + arrays in one text. */
  maxContainers: number;
  /** Most values (elements and members, counted by `,` and `:` plus containers). */
  maxValues: number;
  /** Most backslash escapes inside strings (V8 parses and re-serialises them slowly). */
  maxEscapes: number;
}

/**
 * The limits for one frame: depth 64, 100,000 containers, 1,000,000 values, 2,000,000 escapes
 * (a node's `system.run` result holds at most 1 MiB of stdout and 1 MiB of stderr, so even
 * output made only of newlines fits). Frames at these limits parse in a fraction of the time
 * of the frames they exclude (bench/hardening_frames.ts).
 */
export const FRAME_JSON_BUDGET: JsonBudget = {
  maxDepth: 64,
  maxContainers: 100_000,
  maxValues: 1_000_000,
  maxEscapes: 2_000_000,
};

/**
 * Checks `text` against `budget` without parsing it. Malformed JSON is not detected here
 * (`JSON.parse` does that next); an unterminated string simply ends the scan.
 *
 * @returns `undefined` when within budget, else which limit was exceeded, e.g.
 *   `nesting deeper than 64`.
 *
 * @example
 * ```ts
 * import { checkJsonBudget, FRAME_JSON_BUDGET } from "./json_budget.ts";
 * console.assert(checkJsonBudget('{"a":[1,2,"]]]"]}', FRAME_JSON_BUDGET) === undefined);
 * console.assert(checkJsonBudget("[".repeat(100), FRAME_JSON_BUDGET) === "nesting deeper than 64");
 * ```
 */
export function checkJsonBudget(text: string, budget: JsonBudget): string | undefined {
  let depth = 0;
  let containers = 0;
  let values = 0;
  let escapes = 0;
  let nextEscape = -1;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) { // '"': skip the string; a native search when it has no escapes
      const quote = text.indexOf('"', i + 1);
      if (quote < 0) return undefined; // unterminated: JSON.parse reports it
      // The next backslash is searched once and reused until passed: searching it per string
      // would rescan the tail for every string (quadratic).
      if (nextEscape <= i) nextEscape = text.indexOf("\\", i + 1) >>> 0; // -1 → 2^32-1
      const escape = nextEscape;
      if (escape > quote) {
        i = quote;
        continue;
      }
      let j = escape;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === 0x5c) {
          j += 2;
          if (++escapes > budget.maxEscapes) return `more than ${budget.maxEscapes} escapes`;
        } else if (d === 0x22) break;
        else j++;
      }
      i = j;
    } else if (c === 0x5b || c === 0x7b) { // '[' '{'
      if (++depth > budget.maxDepth) return `nesting deeper than ${budget.maxDepth}`;
      if (++containers > budget.maxContainers) {
        return `more than ${budget.maxContainers} objects and arrays`;
      }
      if (++values > budget.maxValues) return `more than ${budget.maxValues} values`;
    } else if (c === 0x5d || c === 0x7d) { // ']' '}'
      depth--;
    } else if (c === 0x2c || c === 0x3a) { // ',' ':'
      if (++values > budget.maxValues) return `more than ${budget.maxValues} values`;
    }
  }
  return undefined;
}
