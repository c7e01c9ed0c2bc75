/**
 * Node methods: `node.list|describe|rename|invoke`, `node.pair.list|approve|reject|remove`,
 * and the node-only `node.invoke.result`, `node.event` and post-hello updates.
 *
 * Source: `src/gateway/server-methods/nodes*.ts` (openclaw@2026.9.6), protocol.md §3.5, §5.3–5.4.
 * @module
 */
import * as v from "valibot";
import {
  ErrorCodes,
  invalidRequest,
  NodeEventParamsSchema,
  type NodeEventResult,
  NodeIdParamsSchema,
  NodeInvokeParamsSchema,
  NodeInvokeResultParamsSchema,
  NodeRenameParamsSchema,
  RequestIdParamsSchema,
  RpcError,
} from "../../protocol/mod.ts";
import { method, type MethodTable } from "../methods/registry.ts";
import type { NodeInvoker } from "./invoke.ts";
import type { NodeRegistry } from "./registry.ts";

/** `node.event` names this gateway consumes. */
const HANDLED_NODE_EVENTS = new Set([
  "node.host.stats",
  "exec.started",
  "exec.finished",
  "exec.denied",
]);

/**
 * The refusal a node gets for `node.runnerInventory.update` while its command surface awaits
 * operator approval: how a node learns it is pending (reference-peer.md §4; OpenClaw names
 * `openclaw nodes approve <requestId>`).
 */
export function surfaceAwaitingApproval(nodeId: string): RpcError {
  return new RpcError(
    ErrorCodes.UNAVAILABLE,
    `node capability surface is awaiting operator approval; run \`clawgate nodes approve ${nodeId}\` (see \`clawgate nodes pending\`), then this node retries automatically`,
  );
}

/** The node method table. */
export function nodeMethods(nodes: NodeRegistry, invoker: NodeInvoker): MethodTable {
  const anyParams = v.unknown();
  const listOf = (params: unknown, key: string): unknown[] => {
    const v = (params as Record<string, unknown> | undefined)?.[key];
    return Array.isArray(v) ? v : [];
  };
  return {
    "node.list": method({
      handler: ({ state }) => ({ ts: Date.now(), nodes: nodes.list(state) }),
    }),
    "node.describe": method({
      params: NodeIdParamsSchema,
      handler: ({ state, params }) => {
        const id = invoker.resolveNodeId(state, params.nodeId);
        const known = nodes.known(state, id);
        if (!known) throw invalidRequest("unknown nodeId");
        return { ts: Date.now(), ...known };
      },
    }),
    "node.rename": method({
      params: NodeRenameParamsSchema,
      handler: ({ state, params }) => nodes.rename(state, params.nodeId, params.displayName.trim()),
    }),
    "node.invoke": method({
      params: NodeInvokeParamsSchema,
      handler: ({ state, session, params }) => invoker.invoke(state, session, params),
    }),
    "node.pair.list": method({ handler: () => nodes.pairList() }),
    "node.pair.approve": method({
      params: RequestIdParamsSchema,
      handler: ({ state, session, params }) =>
        nodes.approve(state, params.requestId, session.scopes),
    }),
    "node.pair.reject": method({
      params: RequestIdParamsSchema,
      handler: ({ state, params }) => nodes.reject(state, params.requestId),
    }),
    "node.pair.remove": method({
      params: NodeIdParamsSchema,
      handler: ({ state, params }) => nodes.remove(state, params.nodeId),
    }),
    "node.invoke.result": method({
      params: NodeInvokeResultParamsSchema,
      handler: ({ session, params }) => invoker.result(session, params),
    }),
    "node.event": method({
      params: NodeEventParamsSchema,
      handler: ({ params }): NodeEventResult => {
        const handled = HANDLED_NODE_EVENTS.has(params.event);
        return handled
          ? { ok: true, event: params.event, handled }
          : { ok: true, event: params.event, handled, reason: "unsupported-event" };
      },
    }),
    "node.runnerInventory.update": method({
      params: anyParams,
      handler: ({ session }) => {
        if (nodes.store.pendingNode(session.nodeId)) {
          throw surfaceAwaitingApproval(session.nodeId);
        }
        return { nodeId: session.nodeId };
      },
    }),
    "node.skills.update": method({
      params: anyParams,
      handler: ({ session, params }) => ({
        nodeId: session.nodeId,
        skills: listOf(params, "skills"),
      }),
    }),
    "node.pluginTools.update": method({
      params: anyParams,
      handler: ({ session, params }) => ({
        nodeId: session.nodeId,
        tools: listOf(params, "tools"),
      }),
    }),
  };
}
