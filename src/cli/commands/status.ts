/**
 * `status [--deep]`: declared here, run by ./status_run.ts (loaded when chosen).
 * @module
 */
import { loadRun } from "./load_run.ts";
import type { CommandSpec } from "../spec.ts";
import { CONNECTION_FLAGS } from "./connection_flags.ts";

/** `status`. */
export const statusSpec: CommandSpec = {
  name: "status",
  summary: "local view; --deep adds the gateway's status, presence and nodes",
  flags: [
    ...CONNECTION_FLAGS,
    { name: "deep", description: "also query the gateway's status, presence and node list" },
  ],
  load: async () => (await loadRun("status")).statusMain,
};
