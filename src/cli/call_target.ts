/**
 * Which gateway an operator command talks to, and with which credentials.
 *
 * - `--url` on the command line: only `--token`/`--password` from the same command line count;
 *   with neither → exit 2 (OpenClaw's `ensureExplicitGatewayAuth`, protocol.md §7). It bypasses
 *   every remote setting below.
 * - else `--remote NAME` (`remotes.NAME`).
 * - else `CLAWGATE_GATEWAY_URL` (or `OPENCLAW_…`): env or flag credentials only, never config.
 * - else `CLAWGATE_REMOTE`, else `gateway.mode:"remote"` + `gateway.remote`: transport `ssh`
 *   (the URL is the local end of a tunnel, see {@linkcode CallTarget.ssh}) or `direct`
 *   (`url`); credentials flags > env > the remote's `token`/`password`.
 * - else `ws://127.0.0.1:<port>`: flags > env > `gateway.remote.*` > `gateway.auth.*` > the
 *   token `gateway run` generated into the state dir.
 * @module
 */
import { envSetting, type LoadedConfig, resolveGatewayPort } from "../config/load.ts";
import { readGeneratedToken } from "../gateway/generated_token.ts";
import type { TunnelUse } from "../tunnel/with_tunnel.ts";
import { type RemoteTarget, resolveRemote, type SshRoute } from "../tunnel/remote_target.ts";
import { type Credentials, pickCredentials } from "./credentials.ts";
import { CliError, ExitCode } from "./exit_code.ts";

/** Connection flags shared by operator commands. */
export interface CallFlags {
  url?: string;
  token?: string;
  password?: string;
  port?: number;
  /** `--remote NAME` (global flag). */
  remote?: string;
}

/** A resolved target. */
export interface CallTarget {
  url: string;
  /** Where the URL came from: `cli --url`, `env CLAWGATE_GATEWAY_URL`, `config gateway.remote.url`, `local loopback`. */
  urlSource: string;
  token?: string;
  password?: string;
  /** Where the credential came from (never the credential itself). */
  authSource?: string;
  tlsFingerprint?: string;
  /** The selected remote (name, where the selection came from, transport), if any. */
  remote?: Pick<RemoteTarget, "name" | "selectedBy" | "configKey" | "transport">;
  /**
   * Set for transport `ssh`: the gateway is reached through a tunnel; `url` is then only the
   * wanted local end (`ws://127.0.0.1:<gateway port>`) until `withGatewayRoute` opens or reuses
   * the tunnel.
   */
  ssh?: SshRoute;
  /** Set once the tunnel is open (or reused): how this command reaches the remote gateway. */
  tunnel?: TunnelUse;
}

/**
 * Resolves the target of an operator command.
 *
 * @throws {CliError} exit 2 when `--url` is given without `--token`/`--password`, or when the URL is not ws(s)://.
 */
export async function resolveCallTarget(
  flags: CallFlags,
  env: (k: string) => string | undefined,
  loaded: LoadedConfig,
): Promise<CallTarget> {
  const gw = loaded.config.gateway ?? {};
  const secrets = { token: flags.token, password: flags.password };
  if (flags.url) {
    checkGatewayUrl(flags.url, "--url");
    const creds = pickCredentials({ flags: secrets, env, explicitUrl: true });
    if (!creds) {
      throw new CliError(
        "credentials_required",
        "gateway url override requires explicit credentials",
        {
          exitCode: ExitCode.USAGE,
          hint: "Pass --token or --password with --url; to use configured credentials, drop --url",
        },
      );
    }
    return {
      url: flags.url,
      urlSource: "cli --url",
      ...creds,
      tlsFingerprint: gw.remote?.tlsFingerprint,
    };
  }
  const envUrl = envSetting(env, "GATEWAY_URL");
  const remote = flags.remote || !envUrl
    ? resolveRemote(loaded.config, {
      remoteName: flags.remote,
      env,
      configPath: loaded.path,
      defaultRemotePort: resolveGatewayPort(undefined, env, loaded.config),
    })
    : undefined;
  if (remote) {
    const creds = pickCredentials({
      flags: secrets,
      env,
      config: [{
        token: remote.token,
        password: remote.password,
        authSource: `config ${remote.configKey}`,
      }],
    }) ?? {};
    const picked = {
      name: remote.name,
      selectedBy: remote.selectedBy,
      configKey: remote.configKey,
      transport: remote.transport,
    };
    if (remote.ssh) {
      const port = resolveGatewayPort(flags.port, env, loaded.config);
      return {
        url: `ws://127.0.0.1:${port}`,
        urlSource: `ssh tunnel to ${remote.ssh.sshTarget} (${remote.configKey})`,
        ...creds,
        remote: picked,
        ssh: remote.ssh,
      };
    }
    checkGatewayUrl(remote.url!, `config ${remote.configKey}.url`);
    return {
      url: remote.url!,
      urlSource: `config ${remote.configKey}.url`,
      tlsFingerprint: remote.tlsFingerprint,
      ...creds,
      remote: picked,
    };
  }
  if (envUrl) {
    checkGatewayUrl(envUrl.value, envUrl.source);
    return {
      url: envUrl.value,
      urlSource: `env ${envUrl.source}`,
      ...(pickCredentials({ flags: secrets, env }) ?? {}),
    };
  }
  const port = resolveGatewayPort(flags.port, env, loaded.config);
  const url = `ws://127.0.0.1:${port}`;
  let creds: Credentials | undefined = pickCredentials({
    flags: secrets,
    env,
    config: [
      { ...gw.remote, authSource: "config gateway.remote" },
      { ...gw.auth, authSource: "config gateway.auth" },
    ],
  });
  if (!creds) {
    const generated = await readGeneratedToken(loaded.stateDir);
    if (generated) creds = { token: generated.token, authSource: generated.path };
  }
  return { url, urlSource: "local loopback", ...(creds ?? {}) };
}

/**
 * Checks that a gateway URL is `ws://host…` or `wss://host…`.
 *
 * @throws {CliError} exit 2 naming where the URL came from.
 */
export function checkGatewayUrl(url: string, source: string): void {
  if (!/^wss?:\/\/[^/]+/.test(url)) {
    throw new CliError("usage", `Invalid gateway URL from ${source}: "${url}"`, {
      exitCode: ExitCode.USAGE,
      hint: "Use ws://host:port or wss://host:port, e.g. ws://127.0.0.1:18789",
    });
  }
}
