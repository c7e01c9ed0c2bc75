/**
 * The program: its global flags and every command, as data ({@linkcode CommandSpec}). Cheap to
 * import (no npm package, no schema, no config): parsing and help need only this; the chosen
 * command's implementation loads through its `load`.
 * @module
 */
import type { CommandSpec } from "./spec.ts";
import { devicesSpec } from "./commands/devices.ts";
import { gatewaySpec } from "./commands/gateway.ts";
import { healthSpec } from "./commands/health.ts";
import { nodeSpec } from "./commands/node.ts";
import { nodesSpec } from "./commands/nodes.ts";
import { statusSpec } from "./commands/status.ts";
import { tunnelSpec } from "./commands/tunnel.ts";

/** `clawgate` with its global flags (valid before and after the command name). */
export const programSpec: CommandSpec = {
  name: "clawgate",
  summary: "OpenClaw-compatible gateway, operator CLI and headless node in one binary.\n" +
    "Env: CLAWGATE_PROFILE, CLAWGATE_STATE_DIR, CLAWGATE_CONFIG_PATH, CLAWGATE_REMOTE, CLAWGATE_GATEWAY_{PORT,URL,TOKEN,PASSWORD} (OPENCLAW_* as fallback)",
  flags: [
    { name: "version", short: "V", description: "output the version number" },
    { name: "json", description: "print one JSON document on stdout (NDJSON for streams)" },
    { name: "verbose", description: "more logs on stderr" },
    {
      name: "config",
      value: "<path>",
      description: "config file (JSON5); default $CLAWGATE_CONFIG_PATH or <stateDir>/clawgate.json",
    },
    {
      name: "profile",
      value: "<name>",
      description: "isolated profile: state dir ~/.clawgate-<name>, own port and service names",
      env: "CLAWGATE_PROFILE",
    },
    {
      name: "remote",
      value: "<name>",
      description: "use remotes.NAME from the config (operator commands, tunnel, node connect)",
      env: "CLAWGATE_REMOTE",
    },
    { name: "help", short: "h", description: "display help for command" },
  ],
  subcommands: [
    gatewaySpec,
    healthSpec("check the gateway: handshake + health; exit 0 only if ok"),
    statusSpec,
    tunnelSpec,
    nodeSpec,
    nodesSpec,
    devicesSpec,
  ],
};
