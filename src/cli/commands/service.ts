/**
 * `gateway|node install|start|stop|restart|uninstall`: run the gateway or the node as a
 * systemd (Linux) or launchd (macOS) service of the current profile. Thin: flags → plan
 * (service_plan.ts) → lifecycle (src/service/lifecycle.ts) → output. This module only declares
 * the commands; ./service_run.ts, which runs them, loads when one is chosen.
 * @module
 */
import type { ServiceKind } from "../../service/spec.ts";
import { secretFlags } from "../secret_input.ts";
import { loadRun } from "./load_run.ts";
import type { CommandSpec, FlagSpec } from "../spec.ts";
import { NODE_CONNECT_FLAGS, NODE_SSH_FLAGS } from "./node_flags.ts";
import type { Action as ServiceAction, ScopeFlags } from "./service_run.ts";

const SYSTEM_FLAG: FlagSpec = {
  name: "system",
  description: "the system service (root) instead of the current user's",
};

/** The five service subcommands for `kind`, to mount under `gateway` or `node`. */
export function serviceSpecs(kind: ServiceKind): CommandSpec[] {
  const what = kind === "gateway" ? "the gateway (`gateway run`)" : "this node (`node connect`)";
  const install: CommandSpec = {
    name: "install",
    summary:
      `install ${what} as a service of this profile and start it (systemd user unit; launchd agent)`,
    flags: [
      SYSTEM_FLAG,
      { name: "force", description: "replace an installed service that differs" },
      ...(kind === "gateway"
        ? [
          {
            name: "port",
            value: "<n>",
            description: "port the service listens on (default: the profile's port)",
          },
          ...secretFlags("gateway", {
            token: "env CLAWGATE_GATEWAY_TOKEN; kept in a 0600 file",
            password: "env CLAWGATE_GATEWAY_PASSWORD; kept in a 0600 file",
          }),
        ]
        : [...NODE_CONNECT_FLAGS, ...NODE_SSH_FLAGS]),
    ],
    load: async () => {
      const { runInstall } = await loadRun("service");
      return (ctx, { flags }) => runInstall(ctx, kind, flags as Parameters<typeof runInstall>[2]);
    },
  };
  const actions: Array<[ServiceAction, string]> = [
    ["start", `start the installed ${kind} service (checks its config first)`],
    ["stop", `stop the ${kind} service (it stays installed)`],
    ["restart", `restart the ${kind} service; refuses (exit 3) when its config is invalid`],
    ["uninstall", `stop the ${kind} service and remove its unit and secret file`],
  ];
  return [
    install,
    ...actions.map(([action, summary]): CommandSpec => ({
      name: action,
      summary,
      flags: [SYSTEM_FLAG],
      load: async () => {
        const { runAction } = await loadRun("service");
        return (ctx, { flags }) => runAction(ctx, kind, action, flags as ScopeFlags);
      },
    })),
  ];
}
