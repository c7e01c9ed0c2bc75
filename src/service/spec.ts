/**
 * What a clawgate service is, independent of the service manager: which role it runs, under
 * which profile and scope, its names and file paths, and the exact program + environment.
 *
 * Names follow OpenClaw `src/daemon/constants.ts`: a systemd unit `clawgate-gateway` /
 * `clawgate-node`, suffixed `-PROFILE`; a launchd label `org.clawgate.gateway` /
 * `org.clawgate.node`, suffixed `.PROFILE` (upstream does not suffix its node service; clawgate
 * does, so two profiles can each run a node).
 * @module
 */
import { join } from "node:path";
import { profileSuffix } from "../config/profile.ts";

/** The role the service runs: `gateway run` or `node connect`. */
export type ServiceKind = "gateway" | "node";
/** `user`: the invoking user's manager (default); `system`: the system manager (root). */
export type ServiceScope = "user" | "system";
/** The service manager family. */
export type ServicePlatform = "systemd" | "launchd";

/** Everything a unit or plist is rendered from; pure data. */
export interface ServiceSpec {
  kind: ServiceKind;
  /** Profile name, or undefined for the default profile. */
  profile?: string;
  scope: ServiceScope;
  /** One line, e.g. `clawgate gateway (profile work)`. */
  description: string;
  /** Absolute program path first, then its arguments. Never holds a secret. */
  programArguments: string[];
  /** Environment for the service (paths and the profile, never secrets). */
  environment: Record<string, string>;
  /** Working directory (the state dir). */
  workingDirectory: string;
  /** Delay before a restart after a failure, in seconds. @default {5} */
  restartSec: number;
}

/** Identity of an installed (or installable) service. */
export interface ServiceId {
  kind: ServiceKind;
  profile?: string;
  scope: ServiceScope;
}

/**
 * The systemd unit name, e.g. `clawgate-gateway-work.service`.
 *
 * @example
 * ```ts
 * import { systemdUnitName } from "./spec.ts";
 * console.assert(systemdUnitName({ kind: "node", profile: "b", scope: "user" }) === "clawgate-node-b.service");
 * ```
 */
export function systemdUnitName(id: ServiceId): string {
  return `clawgate-${id.kind}${profileSuffix(id.profile)}.service`;
}

/** The launchd label, e.g. `org.clawgate.gateway.work`. */
export function launchdLabel(id: ServiceId): string {
  return `org.clawgate.${id.kind}${id.profile ? `.${id.profile}` : ""}`;
}

/**
 * Where the unit or plist lives.
 *
 * - systemd user: `$XDG_CONFIG_HOME/systemd/user/` (default `~/.config/systemd/user/`)
 * - systemd system: `/etc/systemd/system/`
 * - launchd user: `~/Library/LaunchAgents/`; system: `/Library/LaunchDaemons/`
 *
 * @param env Environment lookup (`HOME`, `XDG_CONFIG_HOME`).
 * @throws {Error} When a user path is needed and `HOME` is unset.
 */
export function serviceFilePath(
  id: ServiceId,
  platform: ServicePlatform,
  env: (k: string) => string | undefined,
): string {
  if (platform === "launchd") {
    const dir = id.scope === "system"
      ? "/Library/LaunchDaemons"
      : join(home(env), "Library/LaunchAgents");
    return join(dir, `${launchdLabel(id)}.plist`);
  }
  if (id.scope === "system") return join("/etc/systemd/system", systemdUnitName(id));
  const config = env("XDG_CONFIG_HOME") || join(home(env), ".config");
  return join(config, "systemd/user", systemdUnitName(id));
}

function home(env: (k: string) => string | undefined): string {
  const h = env("HOME");
  if (!h) throw new Error("Cannot locate the service directory: HOME is not set");
  return h;
}

/** The platform's service manager, or undefined where clawgate has none (Windows). */
export function currentServicePlatform(os: string = Deno.build.os): ServicePlatform | undefined {
  if (os === "linux") return "systemd";
  if (os === "darwin") return "launchd";
  return undefined;
}
