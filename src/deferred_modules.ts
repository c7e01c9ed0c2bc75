/**
 * Every module loaded through {@linkcode deferredImport}, behind a plain `import()`, registered
 * by name: imported by the distribution entries (scripts/dist_main.ts, scripts/compile_main.ts)
 * so the bundler and the compiler include them. Never imported from source runs, where Deno
 * would walk their module graphs when the importer loads (src/platform/deferred_import.ts says
 * why). tests/deferred_modules_test.ts checks every `deferredImport` call has its entry here.
 * @module
 */
import { DEFERRED_IMPORTS_KEY, type DeferredLoaders } from "./platform/deferred_import.ts";

/** The loaders, by name. */
export const DEFERRED_LOADERS: DeferredLoaders = {
  "cli/devices_run": () => import("./cli/commands/devices_run.ts"),
  "cli/gateway_call_run": () => import("./cli/commands/gateway_call_run.ts"),
  "cli/gateway_run": () => import("./cli/commands/gateway_run.ts"),
  "cli/health_run": () => import("./cli/commands/health_run.ts"),
  "cli/node_connect_run": () => import("./cli/commands/node_connect_run.ts"),
  "cli/nodes_invoke_run": () => import("./cli/commands/nodes_invoke_run.ts"),
  "cli/nodes_run": () => import("./cli/commands/nodes_run.ts"),
  "cli/service_run": () => import("./cli/commands/service_run.ts"),
  "cli/service_status_run": () => import("./cli/commands/service_status_run.ts"),
  "cli/status_run": () => import("./cli/commands/status_run.ts"),
  "cli/tunnel_commands_run": () => import("./cli/commands/tunnel_commands_run.ts"),
  "gateway/serving": () => import("./gateway/serving.ts"),
  "transport/ws_upgrade_kit": () => import("./transport/ws_upgrade_kit.ts"),
};

(globalThis as { [DEFERRED_IMPORTS_KEY]?: DeferredLoaders })[DEFERRED_IMPORTS_KEY] =
  DEFERRED_LOADERS;
