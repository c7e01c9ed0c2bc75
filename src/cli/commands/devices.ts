/**
 * `devices list|approve|reject`, declared as data; ./devices_run.ts loads when one runs.
 * @module
 */
import { loadRun } from "./load_run.ts";
import type { CommandSpec } from "../spec.ts";
import { CONNECTION_FLAGS } from "./connection_flags.ts";

const pair = (verb: "approve" | "reject"): CommandSpec => ({
  name: verb,
  summary: `${verb} a device pairing request (device.pair.${verb})`,
  args: [{
    name: "requestId",
    description: "the request id from `clawgate devices list`",
    required: true,
  }],
  flags: CONNECTION_FLAGS,
  load: async () => (await loadRun("devices")).pairMain(verb),
});

/** The `devices` command group. */
export const devicesSpec: CommandSpec = {
  name: "devices",
  summary: "device pairing requests and paired devices",
  subcommands: [
    {
      name: "list",
      summary: "pending and paired devices (device.pair.list)",
      flags: CONNECTION_FLAGS,
      load: async () => (await loadRun("devices")).listMain,
    },
    pair("approve"),
    pair("reject"),
  ],
};
