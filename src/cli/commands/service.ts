/**
 * `gateway|node install|start|stop|restart|uninstall`: run the gateway or the node as a
 * systemd (Linux) or launchd (macOS) service of the current profile. Thin: flags → plan
 * (service_plan.ts) → lifecycle (src/service/lifecycle.ts) → output. This module only declares
 * the commands; ./service_run.ts, which runs them, loads when one is chosen.
 * @module
 */
import { Command } from "commander";
import type { ServiceKind } from "../../service/spec.ts";
import type { Runner } from "../runner.ts";
import type { CliContext } from "../context.ts";
import { withSecretOptions } from "../secret_input.ts";
import { withNodeConnectOptions } from "./node.ts";
import type { Action, ScopeFlags } from "./service_run.ts";

/**
 * The five service subcommands for `kind`, to mount under `gateway` or `node`.
 *
 * @param run The action wrapper from app.ts.
 */
export function serviceCommands(kind: ServiceKind, run: Runner): Command[] {
  const what = kind === "gateway" ? "the gateway (`gateway run`)" : "this node (`node connect`)";
  const system = (cmd: Command) =>
    cmd.option("--system", "the system service (root) instead of the current user's");
  const install = system(
    new Command("install").description(
      `install ${what} as a service of this profile and start it (systemd user unit; launchd agent)`,
    ),
  ).option("--force", "replace an installed service that differs");
  if (kind === "gateway") {
    withSecretOptions(
      install.option("--port <n>", "port the service listens on (default: the profile's port)"),
      "gateway",
      {
        token: "env CLAWGATE_GATEWAY_TOKEN; kept in a 0600 file",
        password: "env CLAWGATE_GATEWAY_PASSWORD; kept in a 0600 file",
      },
    );
  } else {
    withNodeConnectOptions(install);
  }
  install.action(
    run(async (ctx: CliContext, flags) =>
      (await import("./service_run.ts")).runInstall(ctx, kind, flags)
    ),
  );
  const actions: Array<[Action, string]> = [
    ["start", `start the installed ${kind} service (checks its config first)`],
    ["stop", `stop the ${kind} service (it stays installed)`],
    ["restart", `restart the ${kind} service; refuses (exit 3) when its config is invalid`],
    ["uninstall", `stop the ${kind} service and remove its unit and secret file`],
  ];
  return [
    install,
    ...actions.map(([action, description]) =>
      system(new Command(action).description(description)).action(
        run(async (ctx: CliContext, flags: ScopeFlags) =>
          (await import("./service_run.ts")).runAction(ctx, kind, action, flags)
        ),
      )
    ),
  ];
}
