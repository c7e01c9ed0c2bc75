/**
 * The service part of `gateway status` / `node status`: installed or not, unit path, state,
 * pid, since when, last exit; and with `--deep`, other gateways on this host (another
 * profile's unit or a stray `gateway run`).
 * @module
 */
import { dirname } from "node:path";
import { envSetting, resolveGatewayPort } from "../../config/load.ts";
import { readSecretFile } from "../../service/secret_file.ts";
import { denoCommandRunner } from "../../service/run_command.ts";
import {
  gatewayArgs,
  type HostGateway,
  installedGatewayUnits,
  runningGateways,
} from "../../service/host_gateways.ts";
import { readIfExists } from "../../service/lifecycle.ts";
import { ServiceManagerError } from "../../service/manager.ts";
import type { ServiceState } from "../../service/systemctl_show.ts";
import { serviceFilePath, type ServiceKind, systemdUnitName } from "../../service/spec.ts";
import { splitSystemdWords } from "../../service/systemd_unit.ts";
import type { CliContext } from "../context.ts";
import { ExitCode } from "../exit_code.ts";
import type { OperatorFlags } from "../operator_session.ts";
import { writeJson, writeLine } from "../render.ts";
import { probeExitCode, probeGateway, renderProbe } from "./status_run.ts";
import { serviceManagerFor } from "./service_check.ts";
import { type ServiceTarget, serviceTarget } from "./service_plan.ts";

/** What `status` reports about the service. */
export interface ServiceReport {
  name: string;
  manager: string;
  scope: "user" | "system";
  path: string;
  installed: boolean;
  /** The manager's view; absent when not installed or the manager could not be asked. */
  state?: ServiceState;
  /** Why the manager could not be asked. */
  error?: string;
}

/**
 * Looks up the service of `kind` for this profile: the user unit, else the system one.
 *
 * @returns undefined on platforms without a supported service manager.
 */
export async function serviceReport(
  ctx: CliContext,
  kind: ServiceKind,
): Promise<{ report: ServiceReport; target: ServiceTarget } | undefined> {
  let target: ServiceTarget;
  try {
    target = serviceTarget(ctx, kind, false);
  } catch {
    return undefined;
  }
  const systemPath = serviceFilePath({ ...target.id, scope: "system" }, target.platform, ctx.env);
  if ((await readIfExists(target.path)) === undefined && (await readIfExists(systemPath))) {
    target = { ...target, id: { ...target.id, scope: "system" }, path: systemPath };
  }
  const installed = (await readIfExists(target.path)) !== undefined;
  const report: ServiceReport = {
    name: target.platform === "systemd" ? systemdUnitName(target.id) : target.path,
    manager: target.platform,
    scope: target.id.scope,
    path: target.path,
    installed,
  };
  if (installed) {
    try {
      report.state = await serviceManagerFor(target.platform).state(target.id);
    } catch (err) {
      report.error = err instanceof ServiceManagerError ? err.message : String(err);
    }
  }
  return { report, target };
}

/** Prints the service block (human mode). */
export function renderServiceReport(ctx: CliContext, kind: ServiceKind, r: ServiceReport): void {
  if (!r.installed) {
    writeLine(ctx, `Service   not installed (${r.name}; install with: clawgate ${kind} install)`);
    return;
  }
  writeLine(ctx, `Service   ${r.name} (${r.manager} ${r.scope})`);
  writeLine(ctx, `  unit    ${r.path}`);
  if (r.error || !r.state) {
    writeLine(ctx, `  state   unknown: ${r.error ?? "no answer"}`);
    return;
  }
  const s = r.state;
  const sub = s.subState ? ` (${s.subState})` : "";
  writeLine(ctx, `  state   ${s.activeState}${sub}${s.enabled ? `, ${s.enabled}` : ""}`);
  if (s.pid) writeLine(ctx, `  pid     ${s.pid}`);
  if (s.since) writeLine(ctx, `  since   ${s.since}`);
  if (s.lastExit) {
    const how = s.lastExit.kind === "exited"
      ? `exit code ${s.lastExit.status}`
      : `signal ${s.lastExit.status}`;
    writeLine(ctx, `  last    ${how}${s.lastExit.at ? ` at ${s.lastExit.at}` : ""}`);
  }
  if (s.restarts) writeLine(ctx, `  restarts ${s.restarts}`);
}

function unitDirs(ctx: CliContext, target: ServiceTarget): string[] {
  const user = serviceFilePath({ ...target.id, scope: "user" }, target.platform, ctx.env);
  const system = serviceFilePath({ ...target.id, scope: "system" }, target.platform, ctx.env);
  return [dirname(user), dirname(system)];
}

/**
 * Other installed gateway units that listen on the same port as `unitContent` would.
 *
 * @returns One sentence per clash (empty: none, or not systemd).
 */
export async function portConflicts(
  ctx: CliContext,
  target: ServiceTarget,
  unitContent: string,
): Promise<string[]> {
  if (target.platform !== "systemd") return [];
  const exec = unitContent.split("\n").find((l) => l.startsWith("ExecStart="));
  const port = gatewayArgs(exec ? splitSystemdWords(exec.slice(10)) : []).port;
  const units = await installedGatewayUnits(unitDirs(ctx, target));
  return units.filter((u) => u.where !== target.path && u.port === port)
    .map((u) => `${u.where} (port ${u.port})`);
}

/**
 * `--deep`: other gateways on this host: other profiles' units and running `gateway run`
 * processes that are not this service's main process.
 *
 * @returns Warnings, one sentence each.
 */
export async function hostGatewayWarnings(
  ctx: CliContext,
  target: ServiceTarget,
  state: ServiceState | undefined,
): Promise<string[]> {
  const port = resolveGatewayPort(undefined, ctx.env, (await ctx.config()).config);
  const found: HostGateway[] = [
    ...(target.platform === "systemd" ? await installedGatewayUnits(unitDirs(ctx, target)) : []),
    ...await runningGateways(denoCommandRunner),
  ];
  const warnings: string[] = [];
  const profile = target.id.profile;
  const serviceUp = state?.activeState === "active" && state.pid !== undefined;
  for (const g of found) {
    if (g.source === "unit" && g.where === target.path) continue;
    if (g.pid !== undefined && (g.pid === state?.pid || g.pid === Deno.pid)) continue;
    const detail = [
      g.profile ? `profile ${g.profile}` : undefined,
      g.port ? `port ${g.port}` : undefined,
    ].filter(Boolean).join(", ");
    const where = g.source === "unit"
      ? `installed unit ${g.where}`
      : `running gateway (${g.where})`;
    const ours = g.source === "process" && g.profile === profile &&
      (g.port === undefined || g.port === port);
    if (ours) {
      // This profile's own foreground gateway: only a problem next to a running service.
      if (serviceUp) {
        warnings.push(`stray \`gateway run\` of this profile next to its service: ${where}`);
      }
      continue;
    }
    const same = g.port === port ? "same port! " : "";
    warnings.push(`${same}another gateway on this host: ${where}${detail ? ` (${detail})` : ""}`);
  }
  return warnings;
}

/**
 * `gateway status`: the service block, then the probe (as before); `--json` prints the probe
 * object with `service` (and `warnings` under `--deep`) added.
 */
export async function runGatewayStatus(
  ctx: CliContext,
  flags: OperatorFlags & { deep?: boolean },
): Promise<number> {
  const found = await serviceReport(ctx, "gateway");
  const warnings = flags.deep && found
    ? await hostGatewayWarnings(ctx, found.target, found.report.state)
    : undefined;
  if (!ctx.globals.json && found) renderServiceReport(ctx, "gateway", found.report);
  const fromUnit = found?.report.installed ? await unitProbeFlags(ctx, found.target, flags) : {};
  const probe = await probeGateway(ctx, { ...flags, ...fromUnit.flags }, { deep: true });
  if (fromUnit.authSource && probe.authSource === "cli flag") {
    probe.authSource = fromUnit.authSource;
  }
  // A selected remote that does not answer is the result (issue 13: honest status).
  const code = probe.remote && !probe.reachable ? probeExitCode(probe) : ExitCode.OK;
  if (ctx.globals.json) {
    writeJson(ctx, { ...probe, service: found?.report ?? null, ...(warnings ? { warnings } : {}) });
    return code;
  }
  renderProbe(ctx, probe);
  for (const w of warnings ?? []) ctx.stderr(`warning: ${w}\n`);
  return code;
}

/**
 * Without `--url`/`--port`/secret flags or env, probe the installed service where it listens
 * (its unit's `--port`) with the secret file it reads (`--token-file` / `--password-file`).
 */
async function unitProbeFlags(
  ctx: CliContext,
  target: ServiceTarget,
  flags: OperatorFlags,
): Promise<{ flags?: Partial<OperatorFlags>; authSource?: string }> {
  if (flags.url || envSetting(ctx.env, "GATEWAY_URL") || target.platform !== "systemd") return {};
  const text = await readIfExists(target.path);
  const exec = text?.split("\n").find((l) => l.startsWith("ExecStart="));
  if (!exec) return {};
  const argv = splitSystemdWords(exec.slice(10));
  const out: Partial<OperatorFlags> = {};
  const port = gatewayArgs(argv).port;
  if (flags.port === undefined && port !== undefined) out.port = port;
  let authSource: string | undefined;
  const hasSecret = flags.token || flags.password || envSetting(ctx.env, "GATEWAY_TOKEN") ||
    envSetting(ctx.env, "GATEWAY_PASSWORD");
  for (const [flag, key] of [["--token-file", "token"], ["--password-file", "password"]] as const) {
    const i = argv.indexOf(flag);
    if (hasSecret || i < 0) continue;
    const value = await readSecretFile(argv[i + 1]).catch(() => undefined);
    if (value) {
      out[key] = value;
      authSource = argv[i + 1];
    }
  }
  return { flags: out, authSource };
}

/** `node status`: the node service block (`--json`: `{service}`). */
export async function runNodeStatus(ctx: CliContext): Promise<number> {
  const found = await serviceReport(ctx, "node");
  if (ctx.globals.json) writeJson(ctx, { service: found?.report ?? null });
  else if (found) renderServiceReport(ctx, "node", found.report);
  else writeLine(ctx, `Service   unsupported on ${Deno.build.os}`);
  return ExitCode.OK;
}
