/**
 * `nodes list|describe|pending|approve|reject|invoke`, declared as data; ./nodes_run.ts and
 * ./nodes_invoke_run.ts load when one of them runs.
 * @module
 */
import { loadRun } from "./load_run.ts";
import type { CommandSpec } from "../spec.ts";
import { CONNECTION_FLAGS } from "./connection_flags.ts";

const NODE_ARG = {
  name: "node",
  description: "node id, id prefix or display name",
  required: true,
};

const pair = (verb: "approve" | "reject"): CommandSpec => ({
  name: verb,
  summary: `${verb} a node's command surface (node.pair.${verb})`,
  args: [{
    name: "node|requestId",
    description: "request id, or node id / prefix / display name",
    required: true,
  }],
  flags: CONNECTION_FLAGS,
  load: async () => (await loadRun("nodes")).pairMain(verb),
});

/** The `nodes` command group. */
export const nodesSpec: CommandSpec = {
  name: "nodes",
  summary: "list, approve and invoke nodes",
  subcommands: [
    {
      name: "list",
      summary: "known nodes (node.list)",
      flags: CONNECTION_FLAGS,
      load: async () => (await loadRun("nodes")).listMain,
    },
    {
      name: "describe",
      summary: "one node (node.describe)",
      args: [NODE_ARG],
      flags: CONNECTION_FLAGS,
      load: async () => (await loadRun("nodes")).describeMain,
    },
    {
      name: "pending",
      summary: "node command surfaces awaiting approval",
      flags: CONNECTION_FLAGS,
      load: async () => (await loadRun("nodes")).pendingMain,
    },
    pair("approve"),
    pair("reject"),
    {
      name: "invoke",
      summary: "run a command on a node (node.invoke); `-- argv…` runs system.run with that argv",
      args: [
        NODE_ARG,
        {
          name: "command",
          description: "node command, e.g. system.which (default system.run with -- argv)",
        },
        { name: "argv", description: "after --: the argv for system.run", variadic: true },
      ],
      flags: [
        ...CONNECTION_FLAGS,
        { name: "params", value: "<json>", description: "command params as JSON" },
      ],
      load: async () => (await loadRun("nodes_invoke")).invokeMain,
    },
  ],
};
