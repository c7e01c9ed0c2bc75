/**
 * `tunnel [target]`, `tunnel up|status|down|stop`, declared as data; the ssh supervisor
 * (./tunnel_commands_run.ts and what it imports) loads only when one of them runs.
 * @module
 */
import { secretFlags } from "../secret_input.ts";
import { loadRun } from "./load_run.ts";
import type { CommandSpec, FlagSpec } from "../spec.ts";
import { msValue, portValue } from "./flag_values.ts";

/** `tunnel.hostKeyPolicy` values (src/tunnel/ssh_args.ts HOST_KEY_POLICIES; a test keeps them equal). */
export const HOST_KEY_CHOICES = ["strict", "accept-new", "openssh"] as const;

const REMOTE_NAME_ARG = {
  name: "name",
  description: "remote name (default: --remote, CLAWGATE_REMOTE, or gateway.remote)",
};
const PROBE_INTERVAL: FlagSpec = {
  name: "probe-interval-ms",
  value: "<ms>",
  description: "gap between gateway probes while connected",
  parse: msValue,
  default: 10_000,
};
/** The `tunnel` command (a foreground supervisor itself, and a group). */
export const tunnelSpec: CommandSpec = {
  name: "tunnel",
  summary:
    "Reach a loopback-only remote gateway: spawn and supervise `ssh -N -L 127.0.0.1:LOCAL:127.0.0.1:REMOTE`",
  args: [{
    name: "target",
    description:
      "[user@]host[:port] (default: the selected remote's or gateway.remote's sshTarget)",
  }],
  flags: [
    { name: "ssh-port", value: "<n>", description: "sshd port on the host", parse: portValue },
    {
      name: "identity",
      value: "<file>",
      description: "private key (adds IdentitiesOnly=yes); default the remote's sshIdentity",
    },
    {
      name: "local-port",
      value: "<n>",
      description:
        "local port, pinned (default: the gateway port, 18789, or a free one when that is taken)",
      parse: portValue,
    },
    {
      name: "remote-port",
      value: "<n>",
      description:
        "gateway port on the host (default: the remote's remotePort or the gateway port)",
      parse: portValue,
    },
    {
      name: "host-key-policy",
      value: "<policy>",
      description:
        "strict: known host keys only; accept-new: trust on first use; openssh: your ssh config decides (default: the remote's hostKeyPolicy, else strict)",
      choices: HOST_KEY_CHOICES,
    },
    {
      name: "ssh-option",
      value: "<K=V>",
      description:
        "extra `-o K=V` for ssh (repeatable; wins over the remote's sshOptions and clawgate's defaults)",
      repeatable: true,
      default: [],
    },
    {
      name: "once",
      description: "bring the tunnel up, check the gateway through it, tear it down, exit",
    },
    ...secretFlags("health-check", {
      token: "else env / the remote's token",
      password: "else env / the remote's password",
    }),
    PROBE_INTERVAL,
    {
      name: "timeout",
      value: "<ms>",
      description: "deadline per readiness probe / health call",
      parse: msValue,
      default: 5_000,
    },
  ],
  load: async () => (await loadRun("tunnel_commands")).tunnelMain,
  subcommands: [
    {
      name: "up",
      summary:
        "supervise the tunnel to a remote (remotes.NAME, else the default remote); -d: in the background",
      args: [REMOTE_NAME_ARG],
      flags: [
        {
          name: "detach",
          short: "d",
          description: "detach: keep supervising after this command exits",
        },
        {
          name: "local-port",
          value: "<n>",
          description: "local port, pinned (busy = error)",
          parse: portValue,
        },
        PROBE_INTERVAL,
        {
          name: "timeout",
          value: "<ms>",
          description: "deadline per readiness probe",
          parse: msValue,
          default: 5_000,
        },
        {
          name: "log-file",
          value: "<path>",
          description: "(internal) set by `up -d` for its child",
          hidden: true,
        },
      ],
      load: async () => (await loadRun("tunnel_commands")).upMain,
    },
    {
      name: "status",
      summary:
        "show supervised tunnels (target, local port, state, uptime, restarts, last error, pid) and recorded ssh processes",
      load: async () => (await loadRun("tunnel_commands")).statusMain,
    },
    {
      name: "down",
      summary: "stop a supervised tunnel (its supervisor and ssh)",
      args: [REMOTE_NAME_ARG],
      flags: [{ name: "all", description: "stop every supervised tunnel" }],
      load: async () => (await loadRun("tunnel_commands")).downMain,
    },
    {
      name: "stop",
      summary: "stop recorded tunnels (their clawgate and ssh)",
      flags: [{
        name: "local-port",
        value: "<n>",
        description: "only the tunnel on this local port",
        parse: portValue,
      }],
      load: async () => (await loadRun("tunnel_commands")).stopMain,
    },
  ],
};
