/**
 * Every command implementation behind a plain `import()`, registered for
 * {@linkcode loadRun}: imported by the distribution entries (scripts/dist_main.ts for
 * `deno task dist`, scripts/compile_main.ts for `deno compile`) so the bundler and the compiler
 * include each implementation. Never imported from source runs, where Deno would walk all of
 * their module graphs at start-up (./load_run.ts says why).
 * @module
 */
import { RUN_MODULES_KEY, type RunModuleLoaders } from "./load_run.ts";

/** The loaders, by name. */
export const RUN_MODULE_LOADERS: RunModuleLoaders = {
  devices: () => import("./devices_run.ts"),
  gateway: () => import("./gateway_run.ts"),
  gateway_call: () => import("./gateway_call_run.ts"),
  health: () => import("./health_run.ts"),
  node_connect: () => import("./node_connect_run.ts"),
  nodes: () => import("./nodes_run.ts"),
  nodes_invoke: () => import("./nodes_invoke_run.ts"),
  service: () => import("./service_run.ts"),
  service_status: () => import("./service_status_run.ts"),
  status: () => import("./status_run.ts"),
  tunnel_commands: () => import("./tunnel_commands_run.ts"),
};

(globalThis as { [RUN_MODULES_KEY]?: RunModuleLoaders })[RUN_MODULES_KEY] = RUN_MODULE_LOADERS;
