/**
 * `nodes list|describe|pending|approve|reject|invoke`: operator commands over `node.list`,
 * `node.describe`, `node.pair.*` and `node.invoke`, with least-privilege scopes (reads:
 * `operator.read`; pairing: `operator.pairing` + `operator.admin`; invoke: `operator.write`).
 * `<node>` is a node id, an id prefix or a display name, resolved through `node.list`.
 * @module
 */
import { Command } from "commander";
import { type KnownNode, Scopes } from "../../protocol/mod.ts";
import type { GatewayClient } from "../../transport/gateway_client.ts";
import type { Runner } from "../runner.ts";
import type { CliContext } from "../context.ts";
import { CliError, ExitCode } from "../exit_code.ts";
import { type OperatorFlags, withOperatorSession } from "../operator_session.ts";
import { formatAge, table, writeJson, writeLine } from "../render.ts";
import { withConnectionFlags } from "./gateway.ts";

const PAIRING_SCOPES = [Scopes.PAIRING, Scopes.ADMIN];

interface PendingNode {
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

type InvokeFlags = OperatorFlags & { params?: string };

/** Builds the `nodes` command group. */
export function nodesCommand(run: Runner): Command {
  const nodes = new Command("nodes").description("list, approve and invoke nodes");

  nodes.addCommand(
    withConnectionFlags(new Command("list").description("known nodes (node.list)"))
      .action(run(async (ctx: CliContext, flags: OperatorFlags) => {
        const list = await withOperatorSession(
          ctx,
          flags,
          [Scopes.READ],
          (c, _t, ms) => listNodes(c, ms),
        );
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
      })),
  );

  nodes.addCommand(
    withConnectionFlags(new Command("describe").description("one node (node.describe)"))
      .argument("<node>", "node id, id prefix or display name")
      .action(run(async (ctx: CliContext, query: string, flags: OperatorFlags) => {
        const info = await withOperatorSession(ctx, flags, [Scopes.READ], async (c, _t, ms) => {
          const node = resolveNode(await listNodes(c, ms), query);
          return await c.request<Record<string, unknown>>("node.describe", {
            nodeId: node.nodeId,
          }, { timeoutMs: ms });
        });
        if (ctx.globals.json) writeJson(ctx, info);
        else {
          for (const [k, v] of Object.entries(info ?? {})) {
            writeLine(ctx, `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`);
          }
        }
        return ExitCode.OK;
      })),
  );

  nodes.addCommand(
    withConnectionFlags(
      new Command("pending").description("node command surfaces awaiting approval"),
    )
      .action(run(async (ctx: CliContext, flags: OperatorFlags) => {
        const pending = await withOperatorSession(
          ctx,
          flags,
          [Scopes.PAIRING],
          (c, _t, ms) => pendingList(c, ms),
        );
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
      })),
  );

  for (const verb of ["approve", "reject"] as const) {
    nodes.addCommand(
      withConnectionFlags(
        new Command(verb).description(`${verb} a node's command surface (node.pair.${verb})`),
      )
        .argument("<node|requestId>", "request id, or node id / prefix / display name")
        .action(run(async (ctx: CliContext, query: string, flags: OperatorFlags) => {
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
              `${verb === "approve" ? "Approved" : "Rejected"} node ${
                res.entry.nodeId.slice(0, 12)
              } (${res.entry.displayName ?? "?"}), request ${res.entry.requestId}`,
            );
          }
          return ExitCode.OK;
        })),
    );
  }

  nodes.addCommand(
    withConnectionFlags(
      new Command("invoke").description(
        "run a command on a node (node.invoke); `-- argv…` runs system.run with that argv",
      ),
    )
      .argument("<node>", "node id, id prefix or display name")
      .argument("[command]", "node command, e.g. system.which (default system.run with -- argv)")
      .argument("[argv...]", "after --: the argv for system.run")
      .option("--params <json>", "command params as JSON")
      .action(run(async (
        ctx: CliContext,
        query: string,
        command: string | undefined,
        argv: string[],
        flags: InvokeFlags,
        cmd: Command,
      ) => {
        const { parseInvoke, renderInvoke, runInvoke } = await import("./nodes_invoke_run.ts");
        const opts = parseInvoke({
          query,
          command,
          argv,
          params: flags.params,
          rawArgs: rootArgs(cmd),
          operands: cmd.args,
          timeout: cmd.getOptionValueSource("timeout") === "cli" ? flags.timeout : undefined,
        });
        return renderInvoke(ctx, opts, await runInvoke(ctx, flags, opts));
      })),
  );
  return nodes;
}

/** The whole command line (commander keeps it on the root command). */
function rootArgs(cmd: Command): string[] {
  let root: Command = cmd;
  while (root.parent) root = root.parent;
  return (root as unknown as { rawArgs?: string[] }).rawArgs ?? [];
}
