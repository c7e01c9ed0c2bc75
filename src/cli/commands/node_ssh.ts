/**
 * `node connect` over SSH: which ssh route the node uses (`--ssh user@host[:port]` one-off, or
 * the remote selection shared with operator commands: `--remote NAME`, `CLAWGATE_REMOTE`,
 * `gateway.remote` in remote mode, when its transport is `ssh`), and the node's own supervised
 * tunnel (src/node/ssh_path.ts) with its ssh recorded in the tunnel ledger.
 * @module
 */
import { envSetting, resolveGatewayPort } from "../../config/load.ts";
import { parseSshTarget } from "../../config/ssh_target.ts";
import { pickFreeLocalPort } from "../../transport/port_check.ts";
import {
  resolveRemote,
  routeSshArgs,
  type SshRoute,
  sshRoute,
} from "../../tunnel/remote_target.ts";
import type { SupervisorDeps } from "../../tunnel/supervisor.ts";
import type { CliContext } from "../context.ts";
import { CliError, ExitCode } from "../exit_code.ts";

/** The ssh flags of `node connect`. */
export interface NodeSshFlags {
  ssh?: string;
  sshIdentity?: string;
  sshOption?: string[];
  remotePort?: number;
}

/**
 * The remote a node uses: an ssh route (`kind: "ssh"`) or a configured remote dialled directly
 * (`kind: "direct"`, its `url`), with the credentials that come with a configured remote.
 */
export type NodeRemoteSelection =
  | NodeSshSelection
  | {
    kind: "direct";
    url: string;
    tlsFingerprint?: string;
    source: string;
    token?: string;
    password?: string;
    authSource?: string;
  };

/** The ssh route a node uses, with the credentials that come with a configured remote. */
export interface NodeSshSelection {
  kind: "ssh";
  route: SshRoute;
  /** How it was selected, for the log: `--ssh`, `--remote`, `env CLAWGATE_REMOTE`, … */
  source: string;
  token?: string;
  password?: string;
  authSource?: string;
}

/**
 * Picks the node's remote, or undefined when the node dials a URL of its own. `--ssh` wins;
 * otherwise the remote selection of operator commands applies (`--remote NAME` >
 * `CLAWGATE_REMOTE` > `gateway.remote` in remote mode; src/tunnel/remote_target.ts). `--url`,
 * `--host`, `--port` bypass it (and cannot be combined with `--ssh`), and so does
 * `CLAWGATE_GATEWAY_URL` unless `--remote` is given, as for operator commands.
 *
 * @throws {CliError} Usage (exit 2): conflicting flags, a bad `--ssh` target or `--ssh-option`.
 * @throws {UnknownRemoteError | ConfigError} From the remote selection.
 */
export async function resolveNodeRemote(
  ctx: CliContext,
  flags: NodeSshFlags & { url?: string; host?: string; port?: string },
): Promise<NodeRemoteSelection | undefined> {
  const remoteName = ctx.globals.remote;
  const direct = flags.url ? "--url" : flags.host ? "--host" : flags.port ? "--port" : undefined;
  const loaded = await ctx.config();
  const defaultRemotePort = resolveGatewayPort(undefined, ctx.env, loaded.config);
  if (flags.ssh) {
    if (direct || remoteName) {
      throw new CliError("usage", `--ssh cannot be combined with ${direct ?? "--remote"}`, {
        exitCode: ExitCode.USAGE,
        hint: "--ssh names the gateway's host; drop the other flag",
      });
    }
    try {
      return {
        kind: "ssh",
        route: sshRoute({
          sshTarget: flags.ssh,
          identity: flags.sshIdentity,
          sshOptions: flags.sshOption,
          remotePort: flags.remotePort ?? defaultRemotePort,
        }),
        source: "--ssh",
      };
    } catch (err) {
      throw new CliError("usage", (err as Error).message, {
        exitCode: ExitCode.USAGE,
        hint: "Use --ssh user@host or --ssh user@host:2222",
      });
    }
  }
  const sshOnly = flags.sshIdentity
    ? "--ssh-identity"
    : flags.sshOption?.length
    ? "--ssh-option"
    : undefined;
  if (sshOnly) {
    throw new CliError("usage", `${sshOnly} needs --ssh user@host`, {
      exitCode: ExitCode.USAGE,
      hint: "Configured remotes take sshIdentity / sshOptions from the config file",
    });
  }
  if (direct || (!remoteName && envSetting(ctx.env, "GATEWAY_URL"))) return undefined;
  const remote = resolveRemote(loaded.config, {
    remoteName,
    env: ctx.env,
    configPath: loaded.path,
    defaultRemotePort,
  });
  if (!remote) return undefined;
  const common = {
    source: `${remote.selectedBy} (${remote.configKey})`,
    token: remote.token,
    password: remote.password,
    authSource: `config ${remote.configKey}`,
  };
  if (!remote.ssh) {
    return { kind: "direct", url: remote.url!, tlsFingerprint: remote.tlsFingerprint, ...common };
  }
  const route = flags.remotePort
    ? sshRoute({ ...remote.ssh, sshPort: remote.ssh.sshPort, remotePort: flags.remotePort })
    : remote.ssh;
  return { kind: "ssh", route, ...common };
}

/** The node's tunnel settings for src/node/ssh_path.ts. */
export interface NodeTunnelSetup {
  localPort: number;
  args: string[];
  deps: SupervisorDeps;
  /**
   * Stable key of the stored device token: `ws://<ssh host>:<remote port>`, the gateway's own
   * address on that host, not the per-run local port.
   */
  deviceTokenKey: string;
}

/**
 * Picks a free local port and builds the ssh argv and the supervisor deps (real spawner,
 * probe, port checks; each ssh recorded in the tunnel ledger of `stateDir`).
 *
 * @throws {CliError} Usage (exit 2) for a bad `--ssh-option`.
 */
export async function nodeTunnelSetup(
  route: SshRoute,
  stateDir: string,
  debug: (line: string) => void,
  remoteName?: string,
): Promise<NodeTunnelSetup> {
  const { ledgerSupervisorDeps } = await import("../../tunnel/supervisor_deps.ts");
  const localPort = await pickFreeLocalPort();
  const { host } = parseSshTarget(route.sshTarget);
  let args: string[];
  try {
    args = routeSshArgs(route, localPort);
  } catch (err) {
    throw new CliError("usage", (err as Error).message, { exitCode: ExitCode.USAGE });
  }
  return {
    localPort,
    args,
    deviceTokenKey: `ws://${host.includes(":") ? `[${host}]` : host}:${route.remotePort}`,
    // Private to this node (kind on-demand): operator commands never reuse it.
    deps: ledgerSupervisorDeps(stateDir, {
      target: route.destination,
      localPort,
      remotePort: route.remotePort,
      sshPort: route.sshPort,
      key: route.key,
      remoteName,
      kind: "on-demand",
    }, (line) => debug(`ssh: ${line}`)),
  };
}
