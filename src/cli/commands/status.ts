/**
 * `status [--deep]`: the local view (config, target, auth source, tunnel ledger) and a
 * reachability probe; `--deep` adds the gateway's `status`, presence and nodes.
 * @module
 */
import { Command } from "commander";
import { resolveGatewayPort } from "../../config/load.ts";
import { Scopes } from "../../protocol/mod.ts";
import { readTunnelSummary } from "../../tunnel/summary.ts";
import type { Runner } from "../app.ts";
import type { CliContext } from "../context.ts";
import { ExitCode } from "../exit_code.ts";
import { type OperatorFlags, withOperatorSession } from "../operator_session.ts";
import { formatAge, writeJson, writeLine } from "../render.ts";
import { toCliError } from "../to_cli_error.ts";
import { resolveCallTarget } from "../call_target.ts";
import { withConnectionFlags } from "./gateway.ts";

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
  const target = await resolveCallTarget(flags, ctx.env, await ctx.config());
  const base: GatewayProbe = {
    url: target.url,
    urlSource: target.urlSource,
    authSource: target.authSource,
    reachable: false,
  };
  const started = performance.now();
  try {
    return await withOperatorSession(ctx, flags, [Scopes.READ], async (client, _t, timeoutMs) => {
      const probe: GatewayProbe = {
        ...base,
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

/** Builds `status`. */
export function statusCommand(run: Runner): Command {
  return withConnectionFlags(
    new Command("status").description(
      "local view; --deep adds the gateway's status, presence and nodes",
    ),
  )
    .option("--deep", "also query the gateway's status, presence and node list")
    .action(run(async (ctx: CliContext, flags: OperatorFlags & { deep?: boolean }) => {
      const loaded = await ctx.config();
      const gw = loaded.config.gateway ?? {};
      const local = {
        config: { path: loaded.path, exists: loaded.exists },
        stateDir: loaded.stateDir,
        port: resolveGatewayPort(undefined, ctx.env, loaded.config),
        bind: gw.bind ?? "loopback",
        authMode: gw.auth?.mode ?? (gw.auth?.password ? "password" : "token"),
        tunnels: await readTunnelSummary(loaded.stateDir),
      };
      const probe = await probeGateway(ctx, {
        ...flags,
        timeout: flags.timeout ?? (flags.deep ? 10_000 : 3_000),
      }, {
        deep: !!flags.deep,
      });
      if (ctx.globals.json) writeJson(ctx, { ok: probe.reachable, local, gateway: probe });
      else {
        writeLine(ctx, `Config    ${loaded.path}${loaded.exists ? "" : " (not found; defaults)"}`);
        writeLine(ctx, `State     ${loaded.stateDir}`);
        writeLine(
          ctx,
          `Local     port ${local.port} · bind ${local.bind} · auth ${local.authMode}`,
        );
        for (const t of local.tunnels) writeLine(ctx, `Tunnel    ${t}`);
        if (local.tunnels.length === 0) writeLine(ctx, "Tunnel    none recorded");
        renderProbe(ctx, probe);
      }
      if (flags.deep && !probe.reachable) {
        return probe.error?.code === "auth"
          ? ExitCode.AUTH
          : probe.error?.code === "timeout"
          ? ExitCode.TIMEOUT
          : ExitCode.UNREACHABLE;
      }
      return ExitCode.OK;
    }));
}
