/**
 * `node connect|install|start|stop|restart|uninstall|status`: this machine as a headless node,
 * declared as data; ./node_connect_run.ts (the node host) loads only when `node connect` runs.
 * @module
 */
import { loadRun } from "./load_run.ts";
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
      load: async () => (await loadRun("node_connect")).nodeConnectMain,
    },
    ...serviceSpecs("node"),
    {
      name: "status",
      summary: "the node service: installed, state, pid, since, last exit",
      load: async () => {
        const { runNodeStatus } = await loadRun("service_status");
        return (ctx) => runNodeStatus(ctx);
      },
    },
  ],
};
