/**
 * `node connect|install|start|stop|restart|uninstall|status`: this machine as a headless node,
 * declared as data; ./node_connect_run.ts (the node host) loads only when `node connect` runs.
 * @module
 */
import type { CommandSpec } from "../spec.ts";
import { NODE_CONNECT_FLAGS, NODE_SSH_FLAGS } from "./node_flags.ts";
import { serviceSpecs } from "./service.ts";

/** The `node` command group. */
export const nodeSpec: CommandSpec = {
  name: "node",
  summary: "run this machine as a headless node",
  subcommands: [
    {
      name: "connect",
      summary: "connect to a gateway as role node and serve system.run/system.which until stopped",
      flags: [...NODE_CONNECT_FLAGS, ...NODE_SSH_FLAGS],
      load: async () => (await import("./node_connect_run.ts")).nodeConnectMain,
    },
    ...serviceSpecs("node"),
    {
      name: "status",
      summary: "the node service: installed, state, pid, since, last exit",
      load: async () => {
        const { runNodeStatus } = await import("./service_status.ts");
        return (ctx) => runNodeStatus(ctx);
      },
    },
  ],
};
