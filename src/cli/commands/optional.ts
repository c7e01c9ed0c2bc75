/**
 * Mounts the node, nodes/devices and tunnel command groups.
 * @module
 */
import type { Command } from "commander";
import type { Runner } from "../runner.ts";
import { tunnelCommand } from "./tunnel.ts";
import { nodeCommand } from "./node.ts";
import { nodesCommand } from "./nodes.ts";
import { devicesCommand } from "./devices.ts";

/** Adds the remaining command groups to `program`. */
export function mountOptionalCommands(program: Command, run: Runner): void {
  program.addCommand(tunnelCommand(run));
  program.addCommand(nodeCommand(run));
  program.addCommand(nodesCommand(run));
  program.addCommand(devicesCommand(run));
}
