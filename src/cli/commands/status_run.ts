/**
 * `status [--deep]`: the local view (config, target, auth source, tunnel ledger) and a
 * reachability probe; `--deep` adds the gateway's `status`, presence and nodes. Loaded when
 * `status` or `gateway status` runs (./status.ts declares `status`).
 * @module
 */
import { resolveGatewayPort } from "../../config/load.ts";
import { Scopes } from "../../protocol/mod.ts";
import { readTunnelSummary } from "../../tunnel/summary.ts";
import { type NodeLinkView, readNodeLink } from "../node_link.ts";
import type { Action } from "../spec.ts";
import type { CliContext } from "../context.ts";
import { ExitCode } from "../exit_code.ts";
import { type OperatorFlags, withOperatorSession } from "../operator_session.ts";
import { formatAge, writeJson, writeLine } from "../render.ts";
import { toCliError } from "../to_cli_error.ts";
import { type CallTarget, resolveCallTarget } from "../call_target.ts";

/** The result of probing a gateway. */
export interface GatewayProbe {
  url: string;
  urlSource: string;
  authSource?: string;
  reachable: boolean;
  connectLatencyMs?: number;
  server?: { version: string; connId: string };
  auth?: { role: string; scopes: string[]; method?: string };
  health?: unknown;
  status?: unknown;
  presence?: unknown;
  nodes?: unknown;
  error?: { code: string; message: string; hint?: string };
  /** The remote this probe went to (absent for the local gateway). */
  remote?: RemoteView;
}

/** Which remote gateway a command used and how it got there. */
export interface RemoteView {
  /** `remotes.NAME`'s NAME; null for `gateway.remote`. */
  name: string | null;
  selectedBy: string;
  configKey: string;
  transport: "ssh" | "direct";
  /** transport ssh: the configured `sshTarget`. */
  sshTarget?: string;
  /** transport ssh: `127.0.0.1:LOCAL → REMOTE` once a tunnel carried the probe. */
  localForward?: string;
  /** transport ssh: `reused` (a running shared tunnel) or `opened` (one for this command). */
  tunnel?: "reused" | "opened";
  sshPid?: number;
}

/** Describes the remote of a resolved (and possibly routed) target; undefined when local. */
export function remoteView(t: CallTarget): RemoteView | undefined {
  if (!t.remote) return undefined;
  return {
    name: t.remote.name ?? null,
    selectedBy: t.remote.selectedBy,
    configKey: t.remote.configKey,
    transport: t.remote.transport,
    ...(t.ssh
      ? {
        sshTarget: t.ssh.sshTarget,
        ...(t.tunnel
          ? {
            localForward:
              `127.0.0.1:${t.tunnel.localPort} → ${t.ssh.destination}:${t.ssh.remotePort}`,
            tunnel: t.tunnel.how,
            sshPid: t.tunnel.sshPid,
          }
          : {}),
      }
      : {}),
  };
}

async function optional<T>(p: Promise<T>): Promise<T | { error: string }> {
  try {
    return await p;
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** Connects and collects health (and, when `deep`, status, presence and nodes). Never throws for gateway errors. */
export async function probeGateway(
  ctx: CliContext,
  flags: OperatorFlags,
  options: { deep: boolean },
): Promise<GatewayProbe> {
  const target = await resolveCallTarget(
    { ...flags, remote: flags.remote ?? ctx.globals.remote },
    ctx.env,
    await ctx.config(),
  );
  const base: GatewayProbe = {
    url: target.url,
    urlSource: target.urlSource,
    authSource: target.authSource,
    reachable: false,
    remote: remoteView(target),
  };
  const started = performance.now();
  try {
    return await withOperatorSession(ctx, flags, [Scopes.READ], async (client, t, timeoutMs) => {
      const probe: GatewayProbe = {
        ...base,
        url: t.url,
        remote: remoteView(t),
        reachable: true,
        connectLatencyMs: Math.round(performance.now() - started),
        server: { version: client.hello.server.version, connId: client.hello.server.connId },
        auth: {
          role: client.hello.auth.role,
          scopes: client.hello.auth.scopes,
          method: client.hello.auth.method,
        },
        health: await client.request("health", undefined, { timeoutMs }),
      };
      if (options.deep) {
        probe.status = await optional(client.request("status", {}, { timeoutMs }));
        probe.presence = await optional(client.request("system-presence", {}, { timeoutMs }));
        probe.nodes = await optional(client.request("node.list", {}, { timeoutMs }));
      }
      return probe;
    });
  } catch (err) {
    const cliErr = toCliError(err);
    return { ...base, error: { code: cliErr.code, message: cliErr.message, hint: cliErr.hint } };
  }
}

/** Human rendering of a probe. */
export function renderProbe(ctx: CliContext, p: GatewayProbe): void {
  const r = p.remote;
  if (r) {
    writeLine(
      ctx,
      `Remote    ${
        r.name ?? "default"
      } (${r.configKey}, selected by ${r.selectedBy}) · ${r.transport}${
        r.sshTarget ? ` ${r.sshTarget}` : ""
      }`,
    );
    if (r.localForward) writeLine(ctx, `Forward   ${r.localForward} (${r.tunnel} tunnel)`);
  }
  writeLine(ctx, `Gateway   ${p.url} (${p.urlSource})`);
  writeLine(ctx, `Auth      ${p.authSource ?? "none found"}`);
  if (!p.reachable) {
    writeLine(ctx, `Reachable no: ${p.error?.message ?? "unknown error"}`);
    if (p.error?.hint) writeLine(ctx, `Hint      ${p.error.hint}`);
    return;
  }
  writeLine(
    ctx,
    `Reachable yes (${p.connectLatencyMs}ms) · server ${p.server?.version} · auth ${p.auth?.method} · scopes ${
      p.auth?.scopes.join(",") || "(none)"
    }`,
  );
  const health = p.health as { ok?: boolean } | undefined;
  writeLine(ctx, `Health    ${health?.ok ? "OK" : "NOT OK"}`);
  if (Array.isArray(p.presence)) {
    writeLine(ctx, `Presence  ${p.presence.length} entr${p.presence.length === 1 ? "y" : "ies"}`);
  }
  const nodes = (p.nodes as { nodes?: Array<Record<string, unknown>> } | undefined)?.nodes;
  if (Array.isArray(nodes)) {
    writeLine(
      ctx,
      `Nodes     ${nodes.length} known, ${nodes.filter((n) => n.connected).length} connected`,
    );
    for (const n of nodes) {
      writeLine(
        ctx,
        `  - ${n.displayName ?? n.nodeId} ${String(n.nodeId).slice(0, 12)} ${
          n.connected ? "connected" : "offline"
        } ${n.approvalState ?? ""} · seen ${formatAge(n.lastSeenAtMs as number | undefined)}`,
      );
    }
  }
}

/** One line on this machine's node: the gateway it is connected to, or its last state. */
export function nodeLinkLine(n: NodeLinkView, nowMs = Date.now()): string {
  const where = `${n.url}${n.urlSource ? ` (${n.urlSource})` : ""}`;
  if (!n.alive) return `not running (last: ${n.state} ${where}, ${formatAge(n.sinceMs, nowMs)})`;
  if (n.connected) {
    return `connected to ${where} since ${formatAge(n.connectedAtMs, nowMs)} · pid ${n.pid}${
      n.state === "connected" ? "" : ` · surface ${n.state}`
    }`;
  }
  return `${n.state} ${where} since ${formatAge(n.sinceMs, nowMs)} · pid ${n.pid}${
    n.reason ? ` · ${n.reason}` : ""
  }`;
}

/** The exit code of a failed probe: 7 auth, 5 timeout, else 4. */
export function probeExitCode(p: GatewayProbe): number {
  return p.error?.code === "auth"
    ? ExitCode.AUTH
    : p.error?.code === "timeout"
    ? ExitCode.TIMEOUT
    : ExitCode.UNREACHABLE;
}

/** The local half of `status`: config, state dir, port, bind, auth mode, tunnels, node. */
export interface LocalView {
  config: { path: string; exists: boolean };
  stateDir: string;
  port: number;
  bind: string;
  authMode: string;
  tunnels: string[];
  node?: NodeLinkView;
}

/** What `status` found. */
export interface StatusResult {
  local: LocalView;
  probe: GatewayProbe;
}

/**
 * Collects the local view and probes the gateway (`deep`: also status, presence, nodes);
 * prints nothing. Gateway failures are in the probe, not thrown.
 *
 * @throws {CliError | ConfigError} A bad config or flags.
 */
export async function collectStatus(
  ctx: CliContext,
  flags: OperatorFlags & { deep?: boolean },
): Promise<StatusResult> {
  const loaded = await ctx.config();
  const gw = loaded.config.gateway ?? {};
  const local: LocalView = {
    config: { path: loaded.path, exists: loaded.exists },
    stateDir: loaded.stateDir,
    port: resolveGatewayPort(undefined, ctx.env, loaded.config),
    bind: gw.bind ?? "loopback",
    authMode: gw.auth?.mode ?? (gw.auth?.password ? "password" : "token"),
    tunnels: await readTunnelSummary(loaded.stateDir),
    node: await readNodeLink(loaded.stateDir),
  };
  const probe = await probeGateway(ctx, {
    ...flags,
    timeout: flags.timeout ?? (flags.deep ? 10_000 : 3_000),
  }, { deep: !!flags.deep });
  return { local, probe };
}

/**
 * Prints `status` (one JSON document with `--json`).
 *
 * @returns 0, or the probe's exit code (4/5/7) when the gateway did not answer and that is
 *   the result: with `--deep`, or when a remote was selected.
 */
export function renderStatus(
  ctx: CliContext,
  deep: boolean,
  { local, probe }: StatusResult,
): number {
  if (ctx.globals.json) writeJson(ctx, { ok: probe.reachable, local, gateway: probe });
  else {
    writeLine(
      ctx,
      `Config    ${local.config.path}${local.config.exists ? "" : " (not found; defaults)"}`,
    );
    writeLine(ctx, `State     ${local.stateDir}`);
    writeLine(ctx, `Local     port ${local.port} · bind ${local.bind} · auth ${local.authMode}`);
    for (const t of local.tunnels) writeLine(ctx, `Tunnel    ${t}`);
    if (local.tunnels.length === 0) writeLine(ctx, "Tunnel    none recorded");
    if (local.node) writeLine(ctx, `Node      ${nodeLinkLine(local.node)}`);
    renderProbe(ctx, probe);
  }
  // A selected remote is what status is about: its failure is the result, whatever the
  // local gateway does. Without a remote, only --deep makes an unreachable gateway fatal.
  if ((deep || probe.remote) && !probe.reachable) return probeExitCode(probe);
  return ExitCode.OK;
}

/** The `status` action. */
export const statusMain: Action = async (ctx, input) => {
  const flags = input.flags as OperatorFlags & { deep?: boolean };
  return renderStatus(ctx, !!flags.deep, await collectStatus(ctx, flags));
};
