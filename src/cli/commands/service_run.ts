/**
 * What `gateway|node install|start|stop|restart|uninstall` run: plans, unit files and the
 * service manager. Loaded only when one of them is chosen (./service.ts declares them).
 * @module
 */
import { ensureDir } from "../../platform/state_dir.ts";
import { installService, readIfExists, uninstallService } from "../../service/lifecycle.ts";
import { ServiceManagerError } from "../../service/manager.ts";
import { denoCommandRunner } from "../../service/run_command.ts";
import { serviceSecretPath } from "../../service/secret_file.ts";
import { type ServiceKind, systemdUnitName } from "../../service/spec.ts";
import type { CliContext } from "../context.ts";
import { CliError, ExitCode } from "../exit_code.ts";
import { writeJson, writeLine } from "../render.ts";
import type { NodeConnectFlags } from "./node_connect_run.ts";
import { checkServiceConfig, serviceManagerFor } from "./service_check.ts";
import { portConflicts } from "./service_status_run.ts";
import {
  gatewayInstallPlan,
  nodeInstallPlan,
  type ServiceTarget,
  serviceTarget,
} from "./service_plan.ts";

/** `--system`: the system service instead of the user's. */
export interface ScopeFlags {
  system?: boolean;
}

/** `clawgate [--profile P] <kind>`: the prefix of every hint. */
function cmdPrefix(target: ServiceTarget): string {
  return `clawgate ${target.id.profile ? `--profile ${target.id.profile} ` : ""}${target.id.kind}`;
}

function label(target: ServiceTarget): string {
  const name = target.platform === "systemd" ? systemdUnitName(target.id) : target.path;
  return `${name} (${target.platform} ${target.id.scope})`;
}

/** Maps a manager failure to exit 1 with the manager's words and what to do. */
function managerError(err: unknown, target: ServiceTarget): never {
  if (!(err instanceof ServiceManagerError)) throw err;
  const noBus = /Failed to connect to bus|No medium found|not been booted with systemd/i.test(
    err.output,
  );
  throw new CliError("internal", err.message, {
    exitCode: ExitCode.ERROR,
    hint: noBus
      ? target.id.scope === "user"
        ? "No systemd user manager is reachable: log in through a real session (ssh, console) or run `sudo loginctl enable-linger $USER`; without systemd, run clawgate under your own supervisor"
        : "No systemd system manager is running here (is PID 1 systemd?)"
      : `See \`${target.id.scope === "user" ? "journalctl --user" : "journalctl"} -u ${
        systemdUnitName(target.id)
      }\``,
    cause: err,
  });
}

async function lingerNote(ctx: CliContext, target: ServiceTarget): Promise<void> {
  if (target.platform !== "systemd" || target.id.scope !== "user") return;
  const user = ctx.env("USER") ?? ctx.env("LOGNAME") ?? String(Deno.uid());
  const res = await denoCommandRunner("loginctl", ["show-user", user, "-p", "Linger", "--value"])
    .catch(() => undefined);
  if (res?.code === 0 && res.stdout.trim() === "yes") return;
  ctx.stderr(
    `note: a user service runs while ${user} is logged in. To start it at boot and keep it after ` +
      `logout, run once: sudo loginctl enable-linger ${user}\n`,
  );
}

/**
 * `<kind> install`: plans the unit (and secret file), refuses a port another gateway uses,
 * installs and starts it.
 *
 * @throws {CliError} exit 2 bad --port, 3 port clash, 1 installed unit differs or manager failure.
 */
export async function runInstall(
  ctx: CliContext,
  kind: ServiceKind,
  flags: ScopeFlags & { force?: boolean; port?: string } & NodeConnectFlags,
): Promise<number> {
  const target = serviceTarget(ctx, kind, flags.system);
  const plan = kind === "gateway"
    ? await gatewayInstallPlan(ctx, target, {
      port: flags.port === undefined ? undefined : parsePort(flags.port),
      token: flags.token,
      password: flags.password,
    })
    : await nodeInstallPlan(ctx, target, flags);
  if (kind === "gateway") {
    const clash = await portConflicts(ctx, target, plan.content);
    if (clash.length > 0) {
      throw new CliError("config", `Another clawgate gateway uses this port: ${clash[0]}`, {
        exitCode: ExitCode.CONFIG,
        hint: `Give this profile its own port: --port N, or gateway.port in its config`,
      });
    }
  }
  const manager = serviceManagerFor(target.platform);
  // The unit's working directory; systemd fails with 200/CHDIR when it is missing.
  await ensureDir(target.stateDir);
  const outcome = await installService(manager, plan, { force: flags.force })
    .catch((err) => managerError(err, target));
  if (outcome.action === "differs") {
    if (!ctx.globals.json) ctx.stderr(outcome.diff.map((l) => `  ${l}\n`).join(""));
    throw new CliError("usage", `${label(target)} is already installed and differs`, {
      exitCode: ExitCode.ERROR,
      hint: `Replace it with \`${cmdPrefix(target)} install --force\` (the lines above change)`,
      details: { path: outcome.path, diff: outcome.diff },
    });
  }
  if (ctx.globals.json) {
    writeJson(ctx, {
      ok: true,
      action: outcome.action,
      service: label(target),
      path: outcome.path,
      secretFile: plan.secret?.path ?? null,
    });
  } else {
    const verb = outcome.action === "unchanged" ? "Already installed (no difference)" : "Installed";
    writeLine(ctx, `${verb}: ${label(target)}`);
    writeLine(ctx, `  unit: ${outcome.path}`);
    if (plan.secret) writeLine(ctx, `  ${plan.secret.type} file (0600): ${plan.secret.path}`);
    writeLine(ctx, `Started. Check it with: ${cmdPrefix(target)} status`);
  }
  await lingerNote(ctx, target);
  return ExitCode.OK;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new CliError("usage", `Invalid --port "${value}": expected 1-65535`, {
      exitCode: ExitCode.USAGE,
    });
  }
  return n;
}

/** A service action other than install. */
export type Action = "start" | "stop" | "restart" | "uninstall";

/**
 * `<kind> start|stop|restart|uninstall` on the installed unit (start/restart check its config).
 *
 * @throws {CliError} exit 1 not installed (start/restart) or manager failure, 3 invalid config.
 */
export async function runAction(
  ctx: CliContext,
  kind: ServiceKind,
  action: Action,
  flags: ScopeFlags,
): Promise<number> {
  const target = serviceTarget(ctx, kind, flags.system);
  const manager = serviceManagerFor(target.platform);
  const unit = await readIfExists(target.path);
  const report = (text: string, done: string) => {
    if (ctx.globals.json) writeJson(ctx, { ok: true, action, result: done, path: target.path });
    else writeLine(ctx, text);
    return ExitCode.OK;
  };
  if (unit === undefined) {
    if (action === "stop" || action === "uninstall") {
      return report(`Not installed: ${label(target)}; nothing to ${action}`, "not-installed");
    }
    throw new CliError("usage", `Not installed: ${label(target)}`, {
      exitCode: ExitCode.ERROR,
      hint: `Install it first: ${cmdPrefix(target)} install`,
    });
  }
  try {
    if (action === "start" || action === "restart") {
      await checkServiceConfig(ctx, target, unit, action);
      await manager[action](target.id, target.path);
      return report(`${action === "start" ? "Started" : "Restarted"}: ${label(target)}`, "done");
    }
    if (action === "stop") {
      await manager.stop(target.id);
      return report(
        `Stopped: ${label(target)} (starts again at boot/login; uninstall to remove)`,
        "done",
      );
    }
    await uninstallService(manager, target.id, target.path, [
      serviceSecretPath(target.stateDir, kind, "token"),
      serviceSecretPath(target.stateDir, kind, "password"),
    ]);
    return report(`Uninstalled: ${label(target)} (removed ${target.path})`, "done");
  } catch (err) {
    return managerError(err, target);
  }
}
