/**
 * Which kind of clawgate build is running, for `--version`: `compiled` (a `deno compile`
 * binary, `Deno.build.standalone`), `single-file self-extracting` (`deno task dist` without a
 * `denort`: scripts/dist_main.ts sets {@linkcode BUILD_KIND_GLOBAL} before main.ts loads) or
 * `source` (`deno run main.ts`, e.g. through scripts/clawgate).
 * @module
 */
import { VERSION } from "./version.ts";

/** Name of the global the self-extracting bundle's entry sets to its kind string. */
export const BUILD_KIND_GLOBAL = "__clawgateBuildKind";

/** The build kind: `compiled`, the string the bundle entry set, or `source`. */
export function buildKind(): string {
  if (Deno.build.standalone) return "compiled";
  const marked = (globalThis as Record<string, unknown>)[BUILD_KIND_GLOBAL];
  return typeof marked === "string" ? marked : "source";
}

/** The `--version` line, e.g. `clawgate 0.1.0 (deno 2.9.6, compiled)`. */
export function versionLine(): string {
  return `clawgate ${VERSION} (deno ${Deno.version.deno}, ${buildKind()})`;
}
