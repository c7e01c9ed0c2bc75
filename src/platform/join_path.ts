/**
 * Joins a directory and a file name with the platform's separator: what the state-dir, config
 * and token paths need, without loading `node:path` (and with it Node's compatibility layer) on
 * every CLI start-up.
 * @module
 */

const SEP = Deno.build.os === "windows" ? "\\" : "/";

/**
 * `dir` + separator + `name`; trailing separators of `dir` are not doubled.
 *
 * @param dir A directory path (absolute or relative), not empty.
 * @param name A file or directory name (no separators).
 * @returns The joined path.
 *
 * @example
 * ```ts
 * import { joinPath } from "./join_path.ts";
 * if (Deno.build.os !== "windows") {
 *   console.assert(joinPath("/home/a/", ".clawgate") === "/home/a/.clawgate");
 *   console.assert(joinPath("/srv/state", "clawgate.json") === "/srv/state/clawgate.json");
 *   console.assert(joinPath("/", "x") === "/x");
 * }
 * ```
 */
export function joinPath(dir: string, name: string): string {
  return `${dir.replace(/[\\/]+$/, "")}${SEP}${name}`;
}
