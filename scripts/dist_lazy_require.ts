/**
 * A `deno bundle` output fix for start-up: the bundler turns the `require()` calls of the
 * CommonJS packages it inlines (ws, json5) into `__require`, made once at load time
 * by `createRequire` from `node:module`, in a helper chunk that every chunk imports. Importing
 * `node:module` sets up Deno's Node compatibility layer (about 20 ms, more than `deno run` of an
 * empty file), so even `--version` paid for it. {@linkcode deferNodeRequire} makes `__require`
 * build its `createRequire` on the first call instead, through `process.getBuiltinModule`, so
 * only the commands that load a CommonJS package pay for it.
 * @module
 */

/** What `deno bundle` (2.9) writes into its helper chunk. */
const EAGER =
  'import { createRequire as __deno_internal_createRequire } from "node:module";\nvar __require = __deno_internal_createRequire(import.meta.url);';

/** The same `__require`, made on its first call. */
const LAZY = "var __deno_internal_require;\n" +
  "var __require = (id) => (__deno_internal_require ??= " +
  'globalThis.process.getBuiltinModule("module").createRequire(import.meta.url))(id);';

/**
 * Rewrites the eager `__require` of a bundle chunk into a lazy one.
 *
 * @param code One chunk of a `deno bundle` output.
 * @returns The rewritten chunk and whether the eager form was found (each chunk holds it at most
 *   once; chunks without it are returned unchanged).
 *
 * @example
 * ```ts
 * import { deferNodeRequire } from "./dist_lazy_require.ts";
 * const chunk = 'import { createRequire as __deno_internal_createRequire } from "node:module";\n' +
 *   "var __require = __deno_internal_createRequire(import.meta.url);\nexport { __require };\n";
 * const { code, changed } = deferNodeRequire(chunk);
 * console.assert(changed && !code.includes("node:module"));
 * ```
 */
export function deferNodeRequire(code: string): { code: string; changed: boolean } {
  if (!code.includes(EAGER)) return { code, changed: false };
  return { code: code.replace(EAGER, LAZY), changed: true };
}

/**
 * The `deno bundle` arguments of the self-extracting build: code-split, for Deno, with the
 * project's import map; `scripts/dist.ts` runs them and tests/dist_lazy_require_test.ts bundles
 * its fixture with the same ones, so the rewrite above is tested on what the build produces.
 *
 * @param root The project root (holds deno.json).
 * @param entry The entry module's path.
 * @param outdir Where the chunks go.
 */
export function bundleArgs(root: string, entry: string, outdir: string): string[] {
  return [
    "bundle",
    "--quiet",
    "--platform",
    "deno",
    "--code-splitting",
    "--config",
    `${root}/deno.json`,
    "--outdir",
    outdir,
    entry,
  ];
}
