/**
 * Remote selection: which remote gateway a command (operator command, `tunnel`, `node connect`)
 * talks to and how. Pure: reads the parsed config and the environment, no I/O.
 *
 * Selection order: `--remote NAME` > `CLAWGATE_REMOTE` > `gateway.remote` when
 * `gateway.mode` is `"remote"` > none (local gateway). A name picks `remotes.NAME` from the
 * config file; the keys are those of `gateway.remote` (OpenClaw's `url`, `transport`, `token`,
 * `password`, `tlsFingerprint`, `sshTarget`, `sshIdentity`, `remotePort`; clawgate's `sshOptions`,
 * `hostKeyPolicy`). Transport: the explicit `transport`, else `ssh` when only `sshTarget` is
 * set, else `direct` (dial `url`).
 *
 * Source of the key names: OpenClaw's config schema (`gateway.remote.transport: "ssh"|"direct"`,
 * `sshTarget` in its `--ssh` form `user@host[:port]`).
 * @module
 */
import type { EnvGet } from "../config/load.ts";
import { ConfigError } from "../config/config_error.ts";
import { DEFAULT_GATEWAY_PORT } from "../config/defaults.ts";
import type { Config, RemoteConfig } from "../config/schema.ts";
import { parseSshTarget } from "../config/ssh_target.ts";
import { buildSshArgs, type HostKeyPolicy } from "./ssh_args.ts";

/** How to reach a remote gateway over ssh. */
export interface SshRoute {
  /** The configured `sshTarget` as written (`me@host:2222`), for display. */
  sshTarget: string;
  /** `user@host` or `host`: what ssh gets after `--`. */
  destination: string;
  /** sshd port from the target (`:2222`); undefined = ssh's own default/config. */
  sshPort?: number;
  identity?: string;
  sshOptions: string[];
  hostKeyPolicy: HostKeyPolicy;
  /** Gateway port on the remote host's loopback. */
  remotePort: number;
  /** Identity of the forward (`destination|sshPort|remotePort`): equal keys = same gateway. */
  key: string;
}

/** A selected remote gateway. */
export interface RemoteTarget {
  /** `remotes.NAME`'s NAME; undefined for `gateway.remote`. */
  name?: string;
  /** Where the selection came from: `--remote`, `env CLAWGATE_REMOTE`, `config gateway.mode`. */
  selectedBy: string;
  /** The config key holding the settings: `remotes.NAME` or `gateway.remote`. */
  configKey: string;
  transport: "ssh" | "direct";
  /** Set when `transport` is `ssh`. */
  ssh?: SshRoute;
  /** Set when `transport` is `direct`. */
  url?: string;
  token?: string;
  password?: string;
  tlsFingerprint?: string;
}

/** An unknown remote name; `known` lists the configured ones. */
export class UnknownRemoteError extends Error {
  readonly known: string[];
  /** `--remote` (a usage error) or `env CLAWGATE_REMOTE` (a config error). */
  readonly selectedBy: string;
  constructor(name: string, known: string[], selectedBy: string, configPath: string) {
    super(
      `Unknown remote "${name}" (from ${selectedBy}): ${
        known.length
          ? `known remotes in ${configPath}: ${known.join(", ")}`
          : `${configPath} defines no remotes`
      }`,
    );
    this.name = "UnknownRemoteError";
    this.known = known;
    this.selectedBy = selectedBy;
  }
}

/** Inputs of {@linkcode resolveRemote}. */
export interface ResolveRemoteOptions {
  /** The `--remote NAME` flag. */
  remoteName?: string;
  /** Environment lookup (`CLAWGATE_REMOTE`). */
  env: EnvGet;
  /** The config file path, for error messages. @default {"the config file"} */
  configPath?: string;
  /** Remote gateway port when the remote names none. @default {18789} */
  defaultRemotePort?: number;
}

/**
 * Picks the remote gateway for a command, or undefined for the local one.
 *
 * @example
 * ```ts
 * import { resolveRemote } from "./remote_target.ts";
 * const r = resolveRemote({ remotes: { lab: { sshTarget: "me@lab:2222" } } }, {
 *   remoteName: "lab",
 *   env: () => undefined,
 * });
 * console.assert(r?.transport === "ssh" && r.ssh?.sshPort === 2222 && r.ssh.remotePort === 18789);
 * ```
 * @throws {UnknownRemoteError} `--remote` / `CLAWGATE_REMOTE` names no entry of `remotes`.
 * @throws {ConfigError} The selected remote lacks `sshTarget` (ssh) or `url` (direct), or its
 *   `sshTarget` does not parse.
 */
export function resolveRemote(
  config: Config,
  options: ResolveRemoteOptions,
): RemoteTarget | undefined {
  const configPath = options.configPath ?? "the config file";
  const envName = options.env("CLAWGATE_REMOTE");
  const [name, selectedBy] = options.remoteName
    ? [options.remoteName, "--remote"]
    : envName
    ? [envName, "env CLAWGATE_REMOTE"]
    : [undefined, "config gateway.mode"];
  let settings: RemoteConfig;
  let configKey: string;
  if (name !== undefined) {
    const remotes = config.remotes ?? {};
    if (!Object.hasOwn(remotes, name)) {
      throw new UnknownRemoteError(name, Object.keys(remotes), selectedBy, configPath);
    }
    settings = remotes[name];
    configKey = `remotes.${name}`;
  } else if (
    config.gateway?.mode === "remote" &&
    (config.gateway.remote?.url || config.gateway.remote?.sshTarget ||
      config.gateway.remote?.transport)
  ) {
    // Without url, sshTarget or transport, gateway.remote only holds credentials for the
    // local end of a hand-started tunnel: stay local (the pre-remote-mode behaviour).
    settings = config.gateway.remote!;
    configKey = "gateway.remote";
  } else {
    return undefined;
  }
  const transport = settings.transport ??
    (settings.sshTarget && !settings.url ? "ssh" : "direct");
  const base = {
    name,
    selectedBy,
    configKey,
    transport,
    token: settings.token,
    password: settings.password,
    tlsFingerprint: settings.tlsFingerprint,
  } as const;
  if (transport === "direct") {
    if (!settings.url) {
      throw new ConfigError(
        configPath,
        `a remote needs url (transport "direct") or sshTarget (transport "ssh")`,
        `${configKey}.url`,
      );
    }
    return { ...base, url: settings.url };
  }
  if (!settings.sshTarget) {
    throw new ConfigError(
      configPath,
      `transport "ssh" needs sshTarget, e.g. "me@server.example.com"`,
      `${configKey}.sshTarget`,
    );
  }
  let ssh: SshRoute;
  try {
    ssh = sshRoute({
      sshTarget: settings.sshTarget,
      identity: settings.sshIdentity,
      sshOptions: settings.sshOptions,
      hostKeyPolicy: settings.hostKeyPolicy,
      remotePort: settings.remotePort ?? options.defaultRemotePort,
    });
  } catch (err) {
    throw new ConfigError(configPath, (err as Error).message, `${configKey}.sshTarget`);
  }
  return { ...base, ssh };
}

/** Inputs of {@linkcode sshRoute}: the remote keys, or the one-off flags that stand for them. */
export interface SshRouteInput {
  /** `[user@]host[:port]`. */
  sshTarget: string;
  /** sshd port; wins over a port in `sshTarget` (`--ssh-port`). */
  sshPort?: number;
  identity?: string;
  sshOptions?: string[];
  /** @default {"strict"} */
  hostKeyPolicy?: HostKeyPolicy;
  /** @default {18789} */
  remotePort?: number;
}

/**
 * Builds an {@linkcode SshRoute} from remote keys or one-off flags (`tunnel user@host`,
 * `node connect --ssh user@host`).
 *
 * @example
 * ```ts
 * import { sshRoute } from "./remote_target.ts";
 * const r = sshRoute({ sshTarget: "me@box:2222", remotePort: 18790 });
 * console.assert(r.destination === "me@box" && r.sshPort === 2222 && r.key === "me@box|2222|18790");
 * ```
 * @throws {RangeError} `sshTarget` does not parse.
 */
export function sshRoute(input: SshRouteInput): SshRoute {
  const parts = parseSshTarget(input.sshTarget);
  const sshPort = input.sshPort ?? parts.port;
  const remotePort = input.remotePort ?? DEFAULT_GATEWAY_PORT;
  return {
    sshTarget: input.sshTarget,
    destination: parts.destination,
    sshPort,
    identity: input.identity,
    sshOptions: input.sshOptions ?? [],
    hostKeyPolicy: input.hostKeyPolicy ?? "strict",
    remotePort,
    key: forwardKey(parts.destination, sshPort, remotePort),
  };
}

/**
 * The identity of a forward: two tunnels with equal keys reach the same gateway.
 *
 * @param destination `user@host` as given to ssh.
 * @param sshPort sshd port, or undefined for ssh's default.
 * @param remotePort Gateway port on the remote loopback.
 */
export function forwardKey(
  destination: string,
  sshPort: number | undefined,
  remotePort: number,
): string {
  return `${destination}|${sshPort ?? ""}|${remotePort}`;
}

/**
 * The `ssh` argv for a route forwarding `127.0.0.1:localPort`.
 *
 * @throws {RangeError} A bad port or `sshOptions` entry (see buildSshArgs).
 */
export function routeSshArgs(route: SshRoute, localPort: number): string[] {
  return buildSshArgs({
    target: route.destination,
    localPort,
    remotePort: route.remotePort,
    sshPort: route.sshPort,
    identity: route.identity,
    hostKeyPolicy: route.hostKeyPolicy,
    sshOptions: route.sshOptions,
  });
}
