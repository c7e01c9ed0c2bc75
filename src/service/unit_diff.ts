/**
 * A line diff between an installed unit and the one `install` would write, for "already
 * installed, and this is what differs". Pure.
 * @module
 */

/**
 * Lists the lines only in `installed` (`- …`) and only in `wanted` (`+ …`), in file order.
 * Not a minimal edit script: units are short and order rarely changes.
 *
 * @example
 * ```ts
 * import { unitDiff } from "./unit_diff.ts";
 * console.assert(unitDiff("a\nb\n", "a\nc\n").join("|") === "- b|+ c");
 * ```
 */
export function unitDiff(installed: string, wanted: string): string[] {
  const a = installed.split("\n").filter((l) => l.trim() !== "");
  const b = wanted.split("\n").filter((l) => l.trim() !== "");
  const inB = new Set(b);
  const inA = new Set(a);
  return [
    ...a.filter((l) => !inB.has(l)).map((l) => `- ${l}`),
    ...b.filter((l) => !inA.has(l)).map((l) => `+ ${l}`),
  ];
}
