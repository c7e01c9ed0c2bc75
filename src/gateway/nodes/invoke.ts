/**
 * `node.invoke` routing: forwards `node.invoke.request` to the node's session, waits for
 * `node.invoke.result`, and fails at once with `UNAVAILABLE`/`NOT_CONNECTED` when the node
 * disconnects; times out with node error `TIMEOUT`; dedupes by idempotency key (bounded
 * record: invoke_cache.ts).
 *
 * Source: `src/gateway/server-methods/nodes.ts`, `nodes.helpers.ts`,
 * `nodes.handlers.invoke-result.ts`, `src/gateway/node-invoke-request.ts` (openclaw@2026.9.6),
 * protocol.md §5.3–5.4.
 * @module
 */
import {
  ErrorCodes,
  hasScope,
  invalidRequest,
  isBlockedNodeCommand,
  type NodeInvokeParams,
  type NodeInvokeResultParams,
  RpcError,
  Scopes,
} from "../../protocol/mod.ts";
import type { Session } from "../session.ts";
import type { GatewayState } from "../state.ts";
import { InvokeCache, type InvokeCacheLimits, type NodeInvokeOk } from "./invoke_cache.ts";
import type { NodeRegistry } from "./registry.ts";
import { clampTimerDelayMs } from "../../platform/timer_delay.ts";

/** Default `node.invoke` timeout, in milliseconds. */
export const DEFAULT_INVOKE_TIMEOUT_MS = 30_000;
export type { NodeInvokeOk };

interface PendingInvoke {
  id: string;
  nodeId: string;
  command: string;
  connId: string;
  resolve: (r: NodeInvokeResultParams) => void;
  reject: (e: RpcError) => void;
  timer: ReturnType<typeof setTimeout>;
}

const ADMIN_INVOKE = (c: string) =>
  c.startsWith("browser.proxy") || c === "fs.listDir" || c === "terminal.upload";

function notConnected(dispatched: boolean, message = "node not connected"): RpcError {
  return new RpcError(ErrorCodes.UNAVAILABLE, "node not connected", {
    details: {
      code: "NOT_CONNECTED",
      nodeError: { code: "NOT_CONNECTED", message },
      nodeCommandDispatched: dispatched,
    },
  });
}

/**
 * Refuses `command` for `caller` when the gateway never forwards it or it needs `operator.admin`.
 *
 * @throws {RpcError} `INVALID_REQUEST` (blocked command), `FORBIDDEN` (admin-only command).
 */
function authorizeInvoke(caller: Session, command: string): void {
  if (isBlockedNodeCommand(command)) {
    throw invalidRequest(
      `node command not allowed: "${command}" is never forwarded by the gateway`,
      { reason: "command-blocked", command },
    );
  }
  if (ADMIN_INVOKE(command) && !hasScope(caller.scopes, Scopes.ADMIN)) {
    throw new RpcError(ErrorCodes.FORBIDDEN, `missing scope: ${Scopes.ADMIN}`, {
      details: {
        code: "MISSING_SCOPE",
        missingScope: Scopes.ADMIN,
        requiredScopes: [Scopes.ADMIN],
      },
    });
  }
}

/**
 * True for an invoke outcome that dispatched nothing to the node (a validation refusal, or the
 * node not connected): it leaves no idempotency record, so a retry after a fix or a reconnect runs.
 */
function ranNothing(err: unknown): boolean {
  if (!(err instanceof RpcError)) return false;
  if (err.code === ErrorCodes.INVALID_REQUEST) return true;
  const details = err.details as { nodeCommandDispatched?: unknown } | undefined;
  return details?.nodeCommandDispatched === false;
}

/** Pending invokes and the idempotency cache. */
export class NodeInvoker {
  readonly #nodes: NodeRegistry;
  readonly #pending = new Map<string, PendingInvoke>();
  readonly #cache: InvokeCache;

  /** @param cacheLimits Bounds of the idempotency record (defaults: invoke_cache.ts). */
  constructor(nodes: NodeRegistry, cacheLimits?: InvokeCacheLimits) {
    this.#nodes = nodes;
    this.#cache = new InvokeCache(cacheLimits);
  }

  /** Size of the idempotency record (in-flight invokes, finished records, bytes kept). */
  cacheStats(): { inFlight: number; finished: number; bytes: number } {
    return this.#cache.stats();
  }

  /** Fails every invoke routed to a closed session (register with `state.onSessionClosed`). */
  onSessionClosed(s: Session): void {
    if (s.role !== "node") return;
    for (const p of [...this.#pending.values()]) {
      if (p.connId !== s.connId) continue;
      this.#pending.delete(p.id);
      clearTimeout(p.timer);
      p.reject(notConnected(true, "node disconnected during invoke"));
    }
  }

  /** Resolves a node id or unique display name to a node id. */
  resolveNodeId(state: GatewayState, ref: string): string {
    if (this.#nodes.known(state, ref)) return ref;
    const matches = this.#nodes.list(state).filter((n) => n.displayName === ref);
    return matches.length === 1 ? matches[0].nodeId : ref;
  }

  /**
   * Runs `node.invoke`.
   *
   * @throws {RpcError} `INVALID_REQUEST` (command not allowed), `UNAVAILABLE` (not connected,
   *   node error, timeout), `FORBIDDEN` (admin-only commands).
   */
  async invoke(state: GatewayState, caller: Session, p: NodeInvokeParams): Promise<NodeInvokeOk> {
    // The caller's own permission is checked before the idempotency record is consulted: a
    // replayed or joined result must never reach a caller who could not have run the command.
    authorizeInvoke(caller, p.command);
    const nodeId = this.resolveNodeId(state, p.nodeId);
    const key = `${nodeId}\u0000${p.command}\u0000${p.idempotencyKey}`;
    return await this.#cache.run(key, () => this.#invoke(state, nodeId, p), ranNothing);
  }

  async #invoke(
    state: GatewayState,
    nodeId: string,
    p: NodeInvokeParams,
  ): Promise<NodeInvokeOk> {
    const command = p.command;
    const session = this.#nodes.activeSession(state, nodeId);
    if (!session) throw notConnected(false);
    const effective = this.#nodes.effective(nodeId, {
      caps: session.caps,
      commands: session.commands,
    });
    if (!effective.commands.includes(command)) {
      const declared = session.commands.includes(command);
      const pending = this.#nodes.store.pendingNode(nodeId);
      throw invalidRequest(
        declared
          ? `node command not allowed: "${command}" is awaiting operator approval` +
            (pending ? ` (run \`clawgate nodes approve ${pending.requestId}\`)` : "")
          : `node command not allowed: the node (platform: ${session.client.platform}) does not support "${command}"`,
        { reason: declared ? "command-not-approved" : "command-not-declared", command },
      );
    }
    // Clamped, so a huge timeoutMs waits ~24.8 days instead of overflowing the timer (and the
    // node receives the same, honourable value).
    const timeoutMs = clampTimerDelayMs(
      p.timeoutMs && p.timeoutMs > 0 ? p.timeoutMs : DEFAULT_INVOKE_TIMEOUT_MS,
    );
    const id = crypto.randomUUID();
    const res = await new Promise<NodeInvokeResultParams>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.#pending.delete(id)) return;
        session.sendEvent("node.invoke.cancel", { invokeId: id, nodeId });
        reject(
          new RpcError(ErrorCodes.UNAVAILABLE, "TIMEOUT: node invoke timed out", {
            details: {
              nodeError: { code: "TIMEOUT", message: "node invoke timed out" },
              nodeCommandDispatched: true,
            },
          }),
        );
      }, timeoutMs);
      this.#pending.set(id, {
        id,
        nodeId,
        command,
        connId: session.connId,
        resolve,
        reject,
        timer,
      });
      const sent = session.sendEvent("node.invoke.request", {
        id,
        nodeId,
        command,
        paramsJSON: p.params === undefined ? null : JSON.stringify(p.params),
        timeoutMs,
        idempotencyKey: p.idempotencyKey,
        ...(p.sessionKey ? { sessionKey: p.sessionKey } : {}),
      });
      if (!sent) {
        this.#pending.delete(id);
        clearTimeout(timer);
        reject(notConnected(false));
      }
    });
    if (!res.ok) {
      const code = res.error?.code ?? "UNAVAILABLE";
      const message = res.error?.message ?? "node command failed";
      throw new RpcError(ErrorCodes.UNAVAILABLE, `${code}: ${message}`, {
        details: { nodeError: res.error ?? { code, message }, nodeCommandDispatched: true },
      });
    }
    let payloadJSON: string | null = typeof res.payloadJSON === "string" ? res.payloadJSON : null;
    let payload: unknown = res.payload ?? null;
    if (payloadJSON !== null) {
      try {
        payload = JSON.parse(payloadJSON);
      } catch {
        payload = payloadJSON;
      }
    } else if (res.payload !== undefined) {
      payloadJSON = JSON.stringify(res.payload);
    }
    return { ok: true, nodeId, command, payload, payloadJSON };
  }

  /**
   * `node.invoke.result` from a node.
   *
   * @throws {RpcError} `INVALID_REQUEST "nodeId mismatch"`.
   */
  result(caller: Session, p: NodeInvokeResultParams): { ok: true; ignored?: true } {
    if (p.nodeId !== caller.nodeId) throw invalidRequest("nodeId mismatch");
    const pending = this.#pending.get(p.id);
    if (!pending || pending.nodeId !== p.nodeId) return { ok: true, ignored: true };
    this.#pending.delete(p.id);
    clearTimeout(pending.timer);
    pending.resolve(p);
    return { ok: true };
  }
}
