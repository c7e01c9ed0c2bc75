/**
 * Loads a command implementation, `./<name>_run.ts`, when its command runs, through
 * {@linkcode deferredImport}: from source with a computed specifier, so a command tree that
 * declares every command does not make Deno walk every implementation's module graph (the
 * gateway server, hono, the node host, the tunnel supervisor…) when any command starts
 * (`health --help` took ~15 ms more CPU that way); in a bundle or compiled binary through the
 * plain `import()`s src/deferred_modules.ts registers (tests/deferred_modules_test.ts checks
 * each name below has its entry there).
 * @module
 */
import { deferredImport } from "../../platform/deferred_import.ts";

/** The implementation modules, by the name before `_run.ts`. */
const RUN_MODULES = {
  devices: () =>
    deferredImport<typeof import("./devices_run.ts")>(
      "cli/devices_run",
      new URL("./devices_run.ts", import.meta.url),
    ),
  gateway: () =>
    deferredImport<typeof import("./gateway_run.ts")>(
      "cli/gateway_run",
      new URL("./gateway_run.ts", import.meta.url),
    ),
  gateway_call: () =>
    deferredImport<typeof import("./gateway_call_run.ts")>(
      "cli/gateway_call_run",
      new URL("./gateway_call_run.ts", import.meta.url),
    ),
  health: () =>
    deferredImport<typeof import("./health_run.ts")>(
      "cli/health_run",
      new URL("./health_run.ts", import.meta.url),
    ),
  node_connect: () =>
    deferredImport<typeof import("./node_connect_run.ts")>(
      "cli/node_connect_run",
      new URL("./node_connect_run.ts", import.meta.url),
    ),
  nodes: () =>
    deferredImport<typeof import("./nodes_run.ts")>(
      "cli/nodes_run",
      new URL("./nodes_run.ts", import.meta.url),
    ),
  nodes_invoke: () =>
    deferredImport<typeof import("./nodes_invoke_run.ts")>(
      "cli/nodes_invoke_run",
      new URL("./nodes_invoke_run.ts", import.meta.url),
    ),
  service: () =>
    deferredImport<typeof import("./service_run.ts")>(
      "cli/service_run",
      new URL("./service_run.ts", import.meta.url),
    ),
  service_status: () =>
    deferredImport<typeof import("./service_status_run.ts")>(
      "cli/service_status_run",
      new URL("./service_status_run.ts", import.meta.url),
    ),
  status: () =>
    deferredImport<typeof import("./status_run.ts")>(
      "cli/status_run",
      new URL("./status_run.ts", import.meta.url),
    ),
  tunnel_commands: () =>
    deferredImport<typeof import("./tunnel_commands_run.ts")>(
      "cli/tunnel_commands_run",
      new URL("./tunnel_commands_run.ts", import.meta.url),
    ),
};

/** The implementation modules' names and types. */
export type RunModules = {
  [K in keyof typeof RUN_MODULES]: Awaited<ReturnType<(typeof RUN_MODULES)[K]>>;
};

/**
 * Imports `./<name>_run.ts`.
 *
 * @param name The module's name without `_run.ts`.
 * @returns The module.
 */
export function loadRun<K extends keyof RunModules>(name: K): Promise<RunModules[K]> {
  return RUN_MODULES[name]() as Promise<RunModules[K]>;
}
