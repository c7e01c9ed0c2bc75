/**
 * Builds what `gateway install` / `node install` write from the current invocation: the
 * service identity (kind, profile, scope), its file path, the rendered unit or plist, and the
 * secret file. The unit runs this same clawgate with the same profile, state dir, config file
 * and (gateway) port; a token or password given as a flag or env var goes to a 0600 file the
 * unit names with `--token-file` / `--password-file`, never onto the command line.
 * @module
 */
import { resolve } from "node:path";
import { envSetting, resolveGatewayPort } from "../../config/load.ts";
import { resolveProfile } from "../../config/profile.ts";
import { resolveStateDir } from "../../platform/state_dir.ts";
import { renderLaunchdPlist } from "../../service/launchd_plist.ts";
import type { InstallPlan } from "../../service/lifecycle.ts";
import { buildKind } from "../../build_kind.ts";
import { currentSelf, selfCommand } from "../../service/program_args.ts";
import { type ServiceSecret, serviceSecretPath } from "../../service/secret_file.ts";
import {
  currentServicePlatform,
  serviceFilePath,
  type ServiceId,
  type ServiceKind,
  type ServicePlatform,
  type ServiceSpec,
} from "../../service/spec.ts";
import { renderSystemdUnit } from "../../service/systemd_unit.ts";
import type { CliContext } from "../context.ts";
import { CliError, ExitCode } from "../exit_code.ts";
import { type NodeConnectFlags, resolveNodeTarget } from "./node_connect_run.ts";
import { resolveNodeRemote } from "./node_ssh.ts";

/** Where a service of this invocation lives. */
export interface ServiceTarget {
  id: ServiceId;
  platform: ServicePlatform;
  path: string;
  stateDir: string;
}

/**
 * Resolves the service of `kind` for this invocation's profile.
 *
 * @param system `--system`: the system manager (needs root).
 * @throws {CliError} exit 1 on a platform without systemd/launchd, or `--system` without root.
 */
export function serviceTarget(
  ctx: CliContext,
  kind: ServiceKind,
  system = false,
  uid: number | null = Deno.uid(),
): ServiceTarget {
  const platform = currentServicePlatform();
  if (!platform) {
    throw new CliError("usage", `Cannot manage a service on ${Deno.build.os}`, {
      exitCode: ExitCode.ERROR,
      hint: `Run \`clawgate ${
        kind === "gateway" ? "gateway run" : "node connect"
      }\` under your own supervisor`,
    });
  }
  if (system && uid !== 0) {
    throw new CliError("usage", "--system installs a system service and needs root", {
      exitCode: ExitCode.ERROR,
      hint: `Run it with sudo, or drop --system for a service of your own user`,
    });
  }
  const id: ServiceId = {
    kind,
    profile: resolveProfile(ctx.env),
    scope: system ? "system" : "user",
  };
  // Not ctx.config(): stop / uninstall must work while the config file is broken.
  return {
    id,
    platform,
    path: serviceFilePath(id, platform, ctx.env),
    stateDir: resolve(resolveStateDir(ctx.env)),
  };
}

/** Environment every unit gets: the state dir, the explicit config file, deno's cache. */
async function unitEnvironment(ctx: CliContext, stateDir: string): Promise<Record<string, string>> {
  const env: Record<string, string> = { CLAWGATE_STATE_DIR: stateDir };
  const loaded = await ctx.config();
  if (ctx.globals.config || ctx.env("CLAWGATE_CONFIG_PATH")) {
    env.CLAWGATE_CONFIG_PATH = resolve(loaded.path);
  }
  if (buildKind() === "source") {
    const home = ctx.env("HOME") ?? "";
    env.DENO_DIR = ctx.env("DENO_DIR") ??
      (Deno.build.os === "darwin" ? `${home}/Library/Caches/deno` : `${home}/.cache/deno`);
  }
  return env;
}

/** The secret to persist when it came from a flag or env var (config and state dir need none). */
function secretFor(
  stateDir: string,
  kind: ServiceKind,
  creds: { token?: string; password?: string },
): ServiceSecret | undefined {
  if (creds.token) {
    return { type: "token", value: creds.token, path: serviceSecretPath(stateDir, kind, "token") };
  }
  if (creds.password) {
    return {
      type: "password",
      value: creds.password,
      path: serviceSecretPath(stateDir, kind, "password"),
    };
  }
  return undefined;
}

function secretArgs(secret: ServiceSecret | undefined): string[] {
  if (!secret) return [];
  return [secret.type === "token" ? "--token-file" : "--password-file", secret.path];
}

async function plan(
  ctx: CliContext,
  target: ServiceTarget,
  subcommand: string[],
  secret: ServiceSecret | undefined,
  globals: string[] = [],
): Promise<InstallPlan> {
  const self = selfCommand(await currentSelf());
  const profile = target.id.profile;
  const spec: ServiceSpec = {
    kind: target.id.kind,
    profile,
    scope: target.id.scope,
    description: `clawgate ${target.id.kind}${profile ? ` (profile ${profile})` : ""}`,
    programArguments: [
      ...self,
      ...(profile ? ["--profile", profile] : []),
      ...globals,
      ...subcommand,
      ...secretArgs(secret),
    ],
    environment: await unitEnvironment(ctx, target.stateDir),
    workingDirectory: target.stateDir,
    restartSec: 5,
  };
  const content = target.platform === "systemd"
    ? renderSystemdUnit(spec)
    : renderLaunchdPlist(spec);
  return { id: target.id, path: target.path, content, secret };
}

/**
 * The gateway's install plan: `gateway run --port <resolved port>` plus the secret file when a
 * token/password came from a flag or `CLAWGATE_GATEWAY_TOKEN` / `_PASSWORD` (`_FILE`).
 */
export async function gatewayInstallPlan(
  ctx: CliContext,
  target: ServiceTarget,
  flags: { port?: number; token?: string; password?: string },
): Promise<InstallPlan> {
  const loaded = await ctx.config();
  const port = resolveGatewayPort(flags.port, ctx.env, loaded.config);
  const secret = secretFor(target.stateDir, "gateway", {
    token: flags.token ?? envSetting(ctx.env, "GATEWAY_TOKEN")?.value,
    password: flags.password ?? envSetting(ctx.env, "GATEWAY_PASSWORD")?.value,
  });
  return plan(ctx, target, ["gateway", "run", "--port", String(port)], secret);
}

/**
 * The node's install plan: the unit runs `node connect` the way this invocation would, so an
 * installed node takes the same route as `node connect` with the same flags and environment:
 *
 * - `--ssh user@host[:port]` with `--ssh-identity` (made absolute), each `--ssh-option` and
 *   `--remote-port`;
 * - a remote chosen by `--remote NAME` or `CLAWGATE_REMOTE` becomes `--remote NAME` (the
 *   unit does not inherit the shell's environment); `gateway.remote` in remote mode needs
 *   nothing, the service reads the same config file;
 * - otherwise the URL when it came from `--url`, `--host/--port/--tls` or
 *   `CLAWGATE_GATEWAY_URL`;
 * - `--tls-fingerprint`, `--display-name`, `--exec-policy` and `--allow` as given;
 * - a secret from a flag, a `--*-file` or env goes to a 0600 file the unit names with
 *   `--token-file` / `--password-file` (one from the config file or the local generated token
 *   is read by the service itself).
 *
 * @throws {CliError} Usage (exit 2) for conflicting or malformed flags, as `node connect`.
 * @throws {UnknownRemoteError | ConfigError} From the remote selection.
 */
export async function nodeInstallPlan(
  ctx: CliContext,
  target: ServiceTarget,
  flags: NodeConnectFlags,
): Promise<InstallPlan> {
  // The same checks and selection as `node connect` (conflicts, bad --ssh, unknown remote).
  const remote = await resolveNodeRemote(ctx, flags);
  const resolved = await resolveNodeTarget(ctx, flags);
  const external = resolved.authSource === "cli flag" || resolved.authSource.startsWith("env ");
  const secret = external
    ? secretFor(target.stateDir, "node", { token: resolved.token, password: resolved.password })
    : undefined;
  const globals: string[] = [];
  const args = ["node", "connect"];
  if (flags.ssh) {
    args.push("--ssh", flags.ssh);
    if (flags.sshIdentity) args.push("--ssh-identity", resolve(flags.sshIdentity));
    for (const o of flags.sshOption ?? []) args.push("--ssh-option", o);
  } else if (remote) {
    const name = ctx.globals.remote ?? ctx.env("CLAWGATE_REMOTE");
    if (name) globals.push("--remote", name);
  } else if (resolved.urlSource.startsWith("cli") || resolved.urlSource.startsWith("env")) {
    args.push("--url", resolved.url);
  }
  if (flags.remotePort !== undefined) args.push("--remote-port", String(flags.remotePort));
  if (flags.tlsFingerprint) args.push("--tls-fingerprint", flags.tlsFingerprint);
  if (flags.displayName) args.push("--display-name", flags.displayName);
  if (flags.execPolicy) args.push("--exec-policy", flags.execPolicy);
  if (flags.allow?.length) args.push("--allow", ...flags.allow);
  return plan(ctx, target, args, secret, globals);
}
