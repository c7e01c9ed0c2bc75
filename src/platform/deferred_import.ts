/**
 * Imports a module only when asked, without Deno walking its module graph when the importing
 * module loads. Deno walks the graph behind every `import()` whose specifier it can read
 * statically when the importer loads (reading, parsing and resolving ws, hono, … before a line
 * runs), which defeats deferring work until after, say, the gateway's bind. From source the
 * specifier is therefore computed; bundlers and `deno compile` cannot follow a computed
 * specifier, so the distribution entries import src/deferred_modules.ts, which registers a
 * plain `import()` per name here ({@linkcode DEFERRED_IMPORTS_KEY}).
 * (src/cli/commands/load_run.ts does the same for the command implementations.)
 * @module
 */

/** The `globalThis` key under which src/deferred_modules.ts registers its loaders. */
export const DEFERRED_IMPORTS_KEY: unique symbol = Symbol.for("clawgate.deferredImports");

/** Loaders by name, as src/deferred_modules.ts registers them. */
export type DeferredLoaders = Record<string, () => Promise<unknown>>;

/**
 * Imports `url` (through the loader registered as `name` in a bundle or compiled binary).
 *
 * @param name The module's name in src/deferred_modules.ts, e.g. `gateway/serving`.
 * @param url The module, as `new URL("./serving.ts", import.meta.url)`.
 * @returns The module.
 * @throws {TypeError} When the module cannot be loaded (in a bundle: `name` is not registered
 *   there, which tests/deferred_modules_test.ts rules out).
 */
export function deferredImport<T>(name: string, url: URL): Promise<T> {
  const loaders = (globalThis as { [DEFERRED_IMPORTS_KEY]?: DeferredLoaders })[
    DEFERRED_IMPORTS_KEY
  ];
  const load = loaders?.[name];
  return (load ? load() : import(url.href)) as Promise<T>;
}
