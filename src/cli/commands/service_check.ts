/**
 * Reading back an installed service: its environment and profile (to check the config the
 * service will load before `start` / `restart`), and the managers clawgate drives.
 * @module
 */
import { loadConfig } from "../../config/load.ts";
import { ConfigError } from "../../config/config_error.ts";
import { createLaunchdManager } from "../../service/launchd_manager.ts";
import type { ServiceManager } from "../../service/manager.ts";
import { type CommandRunner, denoCommandRunner } from "../../service/run_command.ts";
import { type ServicePlatform, systemdUnitName } from "../../service/spec.ts";
import { createSystemdManager } from "../../service/systemd_manager.ts";
import { parseSystemdUnit } from "../../service/systemd_unit.ts";
import type { CliContext } from "../context.ts";
import { CliError, ExitCode } from "../exit_code.ts";
import type { ServiceTarget } from "./service_plan.ts";

/** The manager for a platform, running its tool through `run`. */
export function serviceManagerFor(
  platform: ServicePlatform,
  run: CommandRunner = denoCommandRunner,
): ServiceManager {
  return platform === "systemd"
    ? createSystemdManager(run)
    : createLaunchdManager(run, Deno.uid() ?? 0);
}

/** The environment (`CLAWGATE_*`) and profile written into an installed unit or plist. */
export function installedServiceEnv(
  platform: ServicePlatform,
  text: string,
): Record<string, string> {
  if (platform === "systemd") {
    const unit = parseSystemdUnit(text);
    const env = { ...unit.environment };
    const i = unit.execStart.indexOf("--profile");
    if (i >= 0 && unit.execStart[i + 1]) env.CLAWGATE_PROFILE = unit.execStart[i + 1];
    return env;
  }
  const env: Record<string, string> = {};
  const unxml = (s: string) =>
    s.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"')
      .replaceAll("&apos;", "'").replaceAll("&amp;", "&");
  for (const m of text.matchAll(/<key>(CLAWGATE_[A-Z_]+)<\/key>\s*<string>([^<]*)<\/string>/g)) {
    env[m[1]] = unxml(m[2]);
  }
  const args = [...text.matchAll(/<string>([^<]*)<\/string>/g)].map((m) => unxml(m[1]));
  const i = args.indexOf("--profile");
  if (i >= 0 && args[i + 1]) env.CLAWGATE_PROFILE = args[i + 1];
  return env;
}

/**
 * Loads and validates the config the installed service will read (its state dir, config
 * path and profile, not the caller's), so `start` / `restart` refuse instead of starting a
 * service into a crash loop.
 *
 * @throws {CliError} exit 3 with the config error and what to fix.
 */
export async function checkServiceConfig(
  ctx: CliContext,
  target: ServiceTarget,
  unitText: string,
  action: string,
): Promise<void> {
  const unitEnv = installedServiceEnv(target.platform, unitText);
  const env = (k: string) => (k in unitEnv ? unitEnv[k] : ctx.env(k));
  try {
    await loadConfig({ configPath: unitEnv.CLAWGATE_CONFIG_PATH, env });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new CliError(
      "config",
      `Refusing to ${action} ${systemdUnitName(target.id)}: ${err.message}`,
      {
        exitCode: ExitCode.CONFIG,
        hint: `Fix ${err.keyPath ? `"${err.keyPath}" in ` : ""}${err.path}, then run \`clawgate ${
          target.id.profile ? `--profile ${target.id.profile} ` : ""
        }${target.id.kind} ${action}\` again`,
        cause: err,
      },
    );
  }
}
