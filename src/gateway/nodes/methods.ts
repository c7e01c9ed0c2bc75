/**
 * Node methods: `node.list|describe|rename|invoke`, `node.pair.list|approve|reject|remove`,
 * and the node-only `node.invoke.result`, `node.event` and post-hello updates.
 *
 * Source: `src/gateway/server-methods/nodes*.ts` (openclaw@2026.9.6), protocol.md §3.5, §5.3–5.4.
 * @module
 */
import { z } from "zod";
import {
  invalidRequest,
  NodeEventParamsSchema,
  NodeIdParamsSchema,
  NodeInvokeParamsSchema,
  NodeInvokeResultParamsSchema,
  NodeRenameParamsSchema,
  RequestIdParamsSchema,
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

/** The node method table. */
export function nodeMethods(nodes: NodeRegistry, invoker: NodeInvoker): MethodTable {
  const anyParams = z.unknown();
  const ack = method({
    params: anyParams,
    handler: ({ session }) => ({ ok: true, nodeId: session.nodeId }),
  });
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
      handler: ({ params }) => {
        const handled = HANDLED_NODE_EVENTS.has(params.event);
        return handled
          ? { ok: true, event: params.event, handled }
          : { ok: true, event: params.event, handled, reason: "unsupported-event" };
      },
    }),
    "node.runnerInventory.update": ack,
    "node.skills.update": ack,
    "node.pluginTools.update": ack,
  };
}
