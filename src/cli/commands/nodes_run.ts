/**
 * `nodes list|describe|pending|approve|reject|invoke`: operator commands over `node.list`,
 * `node.describe`, `node.pair.*` and `node.invoke`, with least-privilege scopes (reads:
 * `operator.read`; pairing: `operator.pairing` + `operator.admin`; invoke: `operator.write`).
 * `<node>` is a node id, an id prefix or a display name, resolved through `node.list`. Loaded
 * when one of them runs (./nodes.ts declares them).
 * @module
 */
import { type KnownNode, Scopes } from "../../protocol/mod.ts";
import type { GatewayClient } from "../../transport/gateway_client.ts";
import type { CliContext } from "../context.ts";
import { CliError, ExitCode } from "../exit_code.ts";
import { type OperatorFlags, withOperatorSession } from "../operator_session.ts";
import { formatAge, table, writeJson, writeLine } from "../render.ts";
import type { Action } from "../spec.ts";

const PAIRING_SCOPES = [Scopes.PAIRING, Scopes.ADMIN];

/** A `node.pair.list` entry. */
export interface PendingNode {
  requestId: string;
  nodeId: string;
  displayName?: string;
  platform?: string;
  version?: string;
  commands?: string[];
  ts?: number;
}

/** Lists nodes via `node.list`. */
export async function listNodes(client: GatewayClient, timeoutMs: number): Promise<KnownNode[]> {
  const res = await client.request<{ nodes?: KnownNode[] }>("node.list", {}, { timeoutMs });
  return res?.nodes ?? [];
}

/**
 * Resolves `<node>` (id, id prefix, display name) against a node list.
 *
 * @throws {CliError} exit 2 when nothing or more than one node matches.
 */
export function resolveNode(nodes: KnownNode[], query: string): KnownNode {
  const exact = nodes.filter((n) => n.nodeId === query);
  if (exact.length === 1) return exact[0];
  const q = query.toLowerCase();
  const byName = nodes.filter((n) => (n.displayName ?? "").toLowerCase() === q);
  const byPrefix = nodes.filter((n) => n.nodeId.toLowerCase().startsWith(q));
  const matches = [...new Map([...byName, ...byPrefix].map((n) => [n.nodeId, n])).values()];
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) {
    throw new CliError("usage", `No node matches "${query}"`, {
      exitCode: ExitCode.USAGE,
      hint: "List nodes with `clawgate nodes list` (pending ones: `clawgate nodes pending`)",
    });
  }
  throw new CliError(
    "usage",
    `"${query}" matches ${matches.length} nodes: ${
      matches.map((n) => `${n.nodeId.slice(0, 12)} (${n.displayName ?? "?"})`).join(", ")
    }`,
    { exitCode: ExitCode.USAGE, hint: "Use a longer id prefix or the full node id" },
  );
}

async function pendingList(client: GatewayClient, timeoutMs: number): Promise<PendingNode[]> {
  const res = await client.request<{ pending?: PendingNode[] }>("node.pair.list", {}, {
    timeoutMs,
  });
  return res?.pending ?? [];
}

/**
 * Finds the pending request for `<node|requestId>`: a requestId as is, else the pending entry
 * of the node resolved by id / prefix / name among pending entries.
 */
function resolvePending(pending: PendingNode[], query: string): PendingNode {
  const byRequest = pending.find((p) => p.requestId === query);
  if (byRequest) return byRequest;
  const asNodes = pending.map((p) => ({
    nodeId: p.nodeId,
    displayName: p.displayName,
    caps: [],
    commands: [],
    paired: false,
    connected: false,
  }));
  try {
    const node = resolveNode(asNodes, query);
    return pending.find((p) => p.nodeId === node.nodeId)!;
  } catch (err) {
    if (err instanceof CliError && err.message.startsWith("No node")) {
      throw new CliError("usage", `No pending node request matches "${query}"`, {
        exitCode: ExitCode.USAGE,
        hint: "See `clawgate nodes pending`",
      });
    }
    throw err;
  }
}

/** Prints `node.list`'s nodes: a table, or `{nodes}` with `--json`. */
export function renderNodeList(ctx: CliContext, list: KnownNode[]): number {
  if (ctx.globals.json) writeJson(ctx, { nodes: list });
  else if (list.length === 0) writeLine(ctx, "No nodes.");
  else {
    writeLine(
      ctx,
      table(
        ["NODE", "NAME", "PLATFORM", "STATE", "APPROVAL", "COMMANDS", "SEEN"],
        list.map((n) => [
          n.nodeId.slice(0, 12),
          n.displayName ?? "",
          n.platform ?? "",
          n.connected ? "connected" : "offline",
          n.approvalState ?? (n.paired ? "approved" : "unapproved"),
          n.commands.join(","),
          n.connected ? formatAge(n.connectedAtMs) : formatAge(n.lastSeenAtMs),
        ]),
      ),
    );
  }
  return ExitCode.OK;
}

/** Prints `node.describe`'s answer: `key: value` lines, or the object with `--json`. */
export function renderNodeInfo(ctx: CliContext, info: Record<string, unknown> | undefined): number {
  if (ctx.globals.json) writeJson(ctx, info);
  else {
    for (const [k, v] of Object.entries(info ?? {})) {
      writeLine(ctx, `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
    }
  }
  return ExitCode.OK;
}

/** Prints pending node surfaces: a table and how to approve, or the list with `--json`. */
export function renderPending(ctx: CliContext, pending: PendingNode[]): number {
  if (ctx.globals.json) writeJson(ctx, pending);
  else if (pending.length === 0) writeLine(ctx, "No pending node requests.");
  else {
    writeLine(
      ctx,
      table(
        ["REQUEST", "NODE", "NAME", "PLATFORM", "COMMANDS", "REQUESTED"],
        pending.map((p) => [
          p.requestId,
          p.nodeId.slice(0, 12),
          p.displayName ?? "",
          p.platform ?? "",
          (p.commands ?? []).join(","),
          formatAge(p.ts),
        ]),
      ),
    );
    writeLine(ctx, "\nApprove with: clawgate nodes approve <request|node>");
  }
  return ExitCode.OK;
}

/** `nodes list`: `node.list` (operator.read), then {@linkcode renderNodeList}. */
export const listMain: Action = async (ctx, { flags }) =>
  renderNodeList(
    ctx,
    await withOperatorSession(ctx, flags as OperatorFlags, [Scopes.READ], (c, _t, ms) =>
      listNodes(c, ms)),
  );

/** `nodes describe <node>`: resolve the node, `node.describe`, then {@linkcode renderNodeInfo}. */
export const describeMain: Action = async (ctx, { args, flags }) =>
  renderNodeInfo(
    ctx,
    await withOperatorSession(ctx, flags as OperatorFlags, [Scopes.READ], async (c, _t, ms) => {
      const node = resolveNode(await listNodes(c, ms), args.node as string);
      return await c.request<Record<string, unknown>>("node.describe", {
        nodeId: node.nodeId,
      }, { timeoutMs: ms });
    }),
  );

/** `nodes pending`: `node.pair.list` (operator.pairing), then {@linkcode renderPending}. */
export const pendingMain: Action = async (ctx, { flags }) =>
  renderPending(
    ctx,
    await withOperatorSession(ctx, flags as OperatorFlags, [Scopes.PAIRING], (c, _t, ms) =>
      pendingList(c, ms)),
  );

/**
 * `nodes approve|reject <node|requestId>`: find the pending request, `node.pair.<verb>`
 * (operator.pairing + operator.admin), print what was decided.
 */
export function pairMain(verb: "approve" | "reject"): Action {
  return async (ctx, input) => {
    const flags = input.flags as OperatorFlags;
    const query = input.args["node|requestId"] as string;
    const res = await withOperatorSession(ctx, flags, PAIRING_SCOPES, async (c, _t, ms) => {
      const entry = resolvePending(await pendingList(c, ms), query);
      return await c.request<Record<string, unknown>>(`node.pair.${verb}`, {
        requestId: entry.requestId,
      }, { timeoutMs: ms }).then((r) => ({ entry, r }));
    });
    if (ctx.globals.json) writeJson(ctx, res.r);
    else {
      writeLine(
        ctx,
        `${verb === "approve" ? "Approved" : "Rejected"} node ${res.entry.nodeId.slice(0, 12)} (${
          res.entry.displayName ?? "?"
        }), request ${res.entry.requestId}`,
      );
    }
    return ExitCode.OK;
  };
}
