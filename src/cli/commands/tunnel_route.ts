/**
 * Which forward a `tunnel` command supervises: an explicit `[user@]host[:port]` argument
 * (with `gateway.remote`'s identity and remote port as defaults, as before remote mode), else
 * the selected remote (`tunnel up NAME`, `--remote NAME`, `CLAWGATE_REMOTE`, `gateway.remote`
 * in remote mode), else `gateway.remote.sshTarget`. Flags override the remote's keys.
 * @module
 */
import { resolveGatewayPort } from "../../config/load.ts";
import { resolveRemote, type SshRoute, sshRoute } from "../../tunnel/remote_target.ts";
import type { HostKeyPolicy } from "../../tunnel/ssh_args.ts";
import type { CliContext } from "../context.ts";
import { CliError, ExitCode } from "../exit_code.ts";

/** The flags that stand for remote keys. */
export interface RouteFlags {
  sshPort?: number;
  identity?: string;
  remotePort?: number;
  hostKeyPolicy?: HostKeyPolicy;
  sshOption?: string[];
}

/** A forward to supervise and where it came from. */
export interface TunnelRoute {
  route: SshRoute;
  /** `remotes.NAME`'s NAME, when the forward came from one. */
  remoteName?: string;
  /** The wanted local port: the gateway port (`gateway.port`, 18789). */
  defaultLocalPort: number;
}

/**
 * Resolves the forward of a `tunnel` command.
 *
 * @param targetArg `[user@]host[:port]` given on the command line, if any.
 * @param remoteName `tunnel up NAME` / `--remote NAME`.
 * @throws {CliError} exit 2: no target anywhere, a `direct` remote, or a bad target/option.
 * @throws {UnknownRemoteError} / {ConfigError} From the remote selection.
 */
export async function resolveTunnelRoute(
  ctx: CliContext,
  targetArg: string | undefined,
  flags: RouteFlags,
  remoteName: string | undefined,
): Promise<TunnelRoute> {
  const loaded = await ctx.config();
  const gatewayPort = resolveGatewayPort(undefined, ctx.env, loaded.config);
  const gwRemote = loaded.config.gateway?.remote ?? {};
  const usage = (message: string, hint: string) =>
    new CliError("usage", message, { exitCode: ExitCode.USAGE, hint });
  let base: SshRoute | undefined;
  let name: string | undefined;
  if (targetArg === undefined) {
    const remote = resolveRemote(loaded.config, {
      remoteName,
      env: ctx.env,
      configPath: loaded.path,
      defaultRemotePort: gatewayPort,
    });
    if (remote && !remote.ssh) {
      throw usage(
        `Remote ${
          remote.name ?? "gateway.remote"
        } uses transport "direct" (${remote.url}): there is nothing to tunnel`,
        `Set ${remote.configKey}.transport to "ssh" with an sshTarget, or pass a target: clawgate tunnel user@host`,
      );
    }
    name = remote?.name;
    const sshTarget = remote?.ssh?.sshTarget ?? gwRemote.sshTarget;
    if (!sshTarget) {
      throw usage(
        "No ssh target given",
        "Run `clawgate tunnel user@host`, set gateway.remote.sshTarget, or name a remote: `clawgate tunnel up NAME`",
      );
    }
    base = remote?.ssh;
    if (!base) targetArg = sshTarget;
  }
  try {
    const route = sshRoute({
      sshTarget: targetArg ?? base!.sshTarget,
      sshPort: flags.sshPort ?? base?.sshPort,
      identity: flags.identity ?? base?.identity ?? gwRemote.sshIdentity,
      // ssh keeps the first value of an option: flags first so they win.
      sshOptions: [...(flags.sshOption ?? []), ...(base?.sshOptions ?? gwRemote.sshOptions ?? [])],
      hostKeyPolicy: flags.hostKeyPolicy ?? base?.hostKeyPolicy ?? gwRemote.hostKeyPolicy,
      remotePort: flags.remotePort ?? base?.remotePort ?? gwRemote.remotePort ?? gatewayPort,
    });
    return { route, remoteName: name, defaultLocalPort: gatewayPort };
  } catch (err) {
    throw usage((err as Error).message, "See `clawgate tunnel --help`");
  }
}
