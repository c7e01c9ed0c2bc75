/**
 * The node registry: connected node sessions, command-surface approval (`node.pair.*`:
 * reconcile on connect, approve, reject, remove), renames, and the entry point to the
 * `node.list`/`node.describe` catalog (`catalog.ts`); surface helpers live in `surface.ts`.
 *
 * Source: `src/gateway/node-connect-reconcile.ts`, `src/gateway/node-catalog.ts`,
 * `src/infra/device-pairing-node.records.ts` (openclaw@2026.9.6), protocol.md §3.5, §5.3.
 * @module
 */
import {
  type ConnectParams,
  hasScope,
  invalidRequest,
  type KnownNode,
  nodePairApproveScopes,
  RpcError,
} from "../../protocol/mod.ts";
import type { Session } from "../session.ts";
import type { GatewayState } from "../state.ts";
import type { NodePairRequest, NodeSurface, PairedNode, PairingStore } from "../devices/store.ts";
import { compareKnownNodes, knownNode } from "./catalog.ts";
import {
  effectiveSurface,
  metaOf,
  sameSet,
  surfaceFromConnect,
  surfaceFromSession,
} from "./surface.ts";

export { surfaceFromConnect } from "./surface.ts";

/** Node catalog and command-surface approval. */
export class NodeRegistry {
  readonly store: PairingStore;

  constructor(store: PairingStore) {
    this.store = store;
  }

  /** Connected sessions of a node, newest first. */
  sessionsOf(state: GatewayState, nodeId: string): Session[] {
    return state.nodeSessions(nodeId);
  }

  /** The newest connected session of a node. */
  activeSession(state: GatewayState, nodeId: string): Session | undefined {
    return this.sessionsOf(state, nodeId)[0];
  }

  /** Declared ∩ approved caps and commands. */
  effective(nodeId: string, declared: { caps: string[]; commands: string[] }): {
    caps: string[];
    commands: string[];
  } {
    return effectiveSurface(this.store.pairedNode(nodeId), declared);
  }

  /**
   * Compares a connecting node's declared surface with the approved one. A new or expanded
   * surface becomes a pending `node.pair` request (`node.pair.requested`), unless
   * `gateway.nodes.autoApprove` is set. The caller persists the store.
   */
  reconcileSurface(
    state: GatewayState,
    params: ConnectParams | NodeSurface,
    nodeId: string,
    isLocal: boolean,
  ): void {
    const surface = "client" in params ? surfaceFromConnect(params, nodeId) : params;
    const approved = this.store.pairedNode(nodeId);
    const now = Date.now();
    const covered = !!approved && surface.caps.every((c) => approved.caps.includes(c)) &&
      surface.commands.every((c) => approved.commands.includes(c));
    if (covered) {
      Object.assign(approved!, metaOf(surface), { lastSeenAtMs: now });
      this.store.dropPendingNode(nodeId);
      return;
    }
    if (state.info.autoApproveNodes) {
      this.#setApproved(surface, now);
      this.store.dropPendingNode(nodeId);
      state.logger.info("node surface auto-approved", { node: nodeId.slice(0, 12) });
      return;
    }
    const existing = this.store.pendingNode(nodeId);
    if (
      existing && sameSet(existing.commands, surface.commands) &&
      sameSet(existing.caps, surface.caps)
    ) {
      return;
    }
    const req: NodePairRequest = {
      requestId: crypto.randomUUID(),
      ...surface,
      requiredApproveScopes: nodePairApproveScopes(surface.commands),
      silent: isLocal,
      ts: now,
    };
    this.store.dropPendingNode(nodeId);
    this.store.nodes.pending.push(req);
    state.logger.info("node surface pending approval", {
      node: nodeId.slice(0, 12),
      requestId: req.requestId,
    });
    state.broadcast("node.pair.requested", req);
  }

  #setApproved(surface: NodeSurface, now: number): PairedNode {
    const list = this.store.nodes.paired;
    const prev = this.store.pairedNode(surface.nodeId);
    const rec: PairedNode = {
      ...(prev ?? {}),
      ...surface,
      createdAtMs: now,
      approvedAtMs: now,
      lastSeenAtMs: prev?.lastSeenAtMs ?? now,
      ...(prev?.renamedTo ? { renamedTo: prev.renamedTo } : {}),
    };
    const i = this.store.pairedNodePosition(surface.nodeId);
    if (i >= 0) list[i] = rec;
    else list.push(rec);
    return rec;
  }

  /**
   * `node.pair.approve`: checks the approver's scopes, stores the surface and pushes
   * `node.pair.resolved` to the node and to operators.
   *
   * @throws {RpcError} `INVALID_REQUEST "unknown requestId"`, `FORBIDDEN` missing scope.
   */
  async approve(state: GatewayState, requestId: string, approverScopes: string[]) {
    const req = this.store.nodes.pending.find((p) => p.requestId === requestId);
    if (!req) throw invalidRequest("unknown requestId");
    for (const scope of nodePairApproveScopes(req.commands)) {
      if (!hasScope(approverScopes, scope)) {
        throw new RpcError("FORBIDDEN", `missing scope: ${scope}`, {
          details: {
            code: "MISSING_SCOPE",
            missingScope: scope,
            requiredScopes: req.requiredApproveScopes,
          },
        });
      }
    }
    const { requestId: _r, requiredApproveScopes: _s, silent: _x, ts: _t, ...surface } = req;
    const rec = this.#setApproved(surface, Date.now());
    this.store.nodes.pending = this.store.nodes.pending.filter((p) => p.requestId !== requestId);
    await this.store.save();
    this.#resolved(state, requestId, req.nodeId, "approved");
    const { renamedTo: _n, ...node } = rec;
    return { requestId, node };
  }

  /** `node.pair.reject`. @throws {RpcError} unknown requestId. */
  async reject(state: GatewayState, requestId: string) {
    const req = this.store.nodes.pending.find((p) => p.requestId === requestId);
    if (!req) throw invalidRequest("unknown requestId");
    this.store.nodes.pending = this.store.nodes.pending.filter((p) => p.requestId !== requestId);
    await this.store.save();
    this.#resolved(state, requestId, req.nodeId, "rejected");
    return { requestId, nodeId: req.nodeId, decision: "rejected" };
  }

  /** `node.pair.remove`: forgets the approved surface; a connected node goes back to pending. */
  async remove(state: GatewayState, nodeId: string) {
    const had = this.store.pairedNode(nodeId);
    const pending = this.store.pendingNode(nodeId);
    if (!had && !pending) throw invalidRequest("unknown nodeId");
    this.store.nodes.paired = this.store.nodes.paired.filter((n) => n.nodeId !== nodeId);
    this.store.nodes.pending = this.store.nodes.pending.filter((n) => n.nodeId !== nodeId);
    const s = this.activeSession(state, nodeId);
    if (s) this.reconcileSurface(state, surfaceFromSession(s), nodeId, s.peer.isLocal);
    await this.store.save();
    this.#resolved(state, pending?.requestId ?? crypto.randomUUID(), nodeId, "removed");
    return { nodeId, removed: true };
  }

  /** `node.rename`. @throws {RpcError} unknown nodeId. */
  async rename(state: GatewayState, nodeId: string, displayName: string) {
    const known = this.known(state, nodeId);
    if (!known) throw invalidRequest("unknown nodeId");
    const rec = this.store.pairedNode(nodeId);
    // A node without an approved surface keeps its name in memory only.
    if (rec) rec.renamedTo = displayName;
    else this.#names.set(nodeId, displayName);
    await this.store.save();
    return { nodeId, displayName };
  }

  readonly #names = new Map<string, string>();

  #resolved(state: GatewayState, requestId: string, nodeId: string, decision: string): void {
    const payload = { requestId, nodeId, decision, ts: Date.now() };
    for (const s of this.sessionsOf(state, nodeId)) s.sendEvent("node.pair.resolved", payload);
    state.broadcast("node.pair.resolved", payload);
  }

  /** `node.pair.list` payload. */
  pairList() {
    return {
      pending: this.store.nodes.pending,
      paired: this.store.nodes.paired.map(({ renamedTo, ...n }) =>
        renamedTo ? { ...n, displayName: renamedTo } : n
      ),
    };
  }

  /** Every known node as a KnownNode entry. */
  list(state: GatewayState): KnownNode[] {
    const ids = new Set<string>();
    for (const n of this.store.nodes.paired) ids.add(n.nodeId);
    for (const n of this.store.nodes.pending) ids.add(n.nodeId);
    for (const d of this.store.devices.paired) if (d.roles.includes("node")) ids.add(d.deviceId);
    for (const s of state.sessions.values()) if (s.role === "node") ids.add(s.nodeId);
    return [...ids].map((id) => this.known(state, id)!).filter(Boolean).sort(compareKnownNodes);
  }

  /** One node's catalog entry, or undefined when unknown. */
  known(state: GatewayState, nodeId: string): KnownNode | undefined {
    return knownNode({
      store: this.store,
      nodeId,
      session: this.activeSession(state, nodeId),
      memoryName: this.#names.get(nodeId),
    });
  }
}
