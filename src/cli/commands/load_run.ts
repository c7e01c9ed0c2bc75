/**
 * Loads a command implementation, `./<name>_run.ts`, when its command runs.
 *
 * Why not `import("./health_run.ts")` in each declaration: when a module loads, Deno walks the
 * module graph behind every `import()` whose specifier it can read statically (a string, or a
 * template whose pattern it expands), so a command tree holding such imports made every command
 * pay for walking every implementation's graph (the gateway server, hono, the node host, the
 * tunnel supervisor…): `health --help` took ~15 ms more CPU. From source the specifier is
 * therefore computed (`new URL(…)`), which Deno resolves only when the import runs. Bundlers
 * and `deno compile` cannot follow a computed specifier, so the distribution entries import
 * ./run_modules.ts, which lists every implementation with a plain `import()` and registers the
 * list here ({@linkcode RUN_MODULES_KEY}); tests/cli_import_graph_test.ts checks that it lists
 * them all.
 * @module
 */

/** The implementation modules, by the name before `_run.ts` (types only: nothing loads). */
export interface RunModules {
  devices: typeof import("./devices_run.ts");
  gateway: typeof import("./gateway_run.ts");
  gateway_call: typeof import("./gateway_call_run.ts");
  health: typeof import("./health_run.ts");
  node_connect: typeof import("./node_connect_run.ts");
  nodes: typeof import("./nodes_run.ts");
  nodes_invoke: typeof import("./nodes_invoke_run.ts");
  service: typeof import("./service_run.ts");
  service_status: typeof import("./service_status_run.ts");
  status: typeof import("./status_run.ts");
  tunnel_commands: typeof import("./tunnel_commands_run.ts");
}

/** Loaders by name, as ./run_modules.ts registers them. */
export type RunModuleLoaders = { [K in keyof RunModules]: () => Promise<RunModules[K]> };

/** The `globalThis` key under which ./run_modules.ts registers its loaders. */
export const RUN_MODULES_KEY: unique symbol = Symbol.for("clawgate.cli.runModules");

/**
 * Imports `./<name>_run.ts` (through the registered loader in a bundle or compiled binary).
 *
 * @param name The module's name without `_run.ts`.
 * @returns The module.
 */
export function loadRun<K extends keyof RunModules>(name: K): Promise<RunModules[K]> {
  const registered = (globalThis as { [RUN_MODULES_KEY]?: RunModuleLoaders })[RUN_MODULES_KEY];
  if (registered) return registered[name]();
  return import(new URL(`./${name}_run.ts`, import.meta.url).href);
}
