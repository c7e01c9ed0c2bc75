/**
 * What a `deno bundle` output still imports at run time, for `deno task dist`'s
 * self-containment check: import/export statements (`import … from "x"`, `import "x"`,
 * `export … from "x"`, each at the start of a line as the bundler writes them) and
 * `import("x")` / `require("x")` calls, skipping comment lines (JSDoc `@example` blocks keep
 * their `import` lines in the bundle).
 * @module
 */

/** Packages a bundled dependency probes in try/catch (ws: optional native add-ons). */
const OPTIONAL = new Set(["bufferutil", "utf-8-validate"]);

/**
 * The specifiers `bundle` imports that are neither Deno built-ins (`node:…`) nor optional
 * add-ons, deduplicated, in first-seen order. Empty means self-contained.
 *
 * @example
 * ```ts
 * import { externalImports } from "./dist_bundle_check.ts";
 * const code = 'import { x } from "node:fs";\nconst y = require("npm:zod");\n';
 * console.assert(externalImports(code).join() === "npm:zod");
 * ```
 */
export function externalImports(bundle: string): string[] {
  const found = new Set<string>();
  for (const line of bundle.split("\n")) {
    const t = line.trimStart();
    if (t.startsWith("*") || t.startsWith("//") || t.startsWith("/*")) continue;
    const statement = /^(?:import|export)\b(?:[^"'`]*\bfrom\s*|\s*)"([^"]+)"/.exec(t);
    if (statement) found.add(statement[1]);
    for (const m of t.matchAll(/\b(?:import|require)\s*\(\s*"([^"]+)"\s*\)/g)) found.add(m[1]);
  }
  return [...found].filter((s) => !s.startsWith("node:") && !OPTIONAL.has(s));
}
