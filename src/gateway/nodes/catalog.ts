/**
 * The node catalog behind `node.list` / `node.describe`: one {@linkcode KnownNode} entry per
 * node known from an approved surface, a pending request, a node-role device pairing or a live
 * session.
 *
 * Source: `src/gateway/node-catalog.ts` (openclaw@2026.9.6), protocol.md §5.3.
 * @module
 */
import type { KnownNode } from "../../protocol/mod.ts";
import type { Session } from "../session.ts";
import type { NodeSurface, PairingStore } from "../devices/store.ts";
import { effectiveSurface, strip, surfaceFromSession } from "./surface.ts";

/** What {@linkcode knownNode} reads. */
export interface CatalogInput {
  store: PairingStore;
  nodeId: string;
  /** The node's newest connected session. */
  session?: Session;
  /** A display name set by `node.rename` for a node without an approved surface. */
  memoryName?: string;
}

/** One node's catalog entry, or undefined when the node is unknown. */
export function knownNode(input: CatalogInput): KnownNode | undefined {
  const { store, nodeId, session } = input;
  const approved = store.pairedNode(nodeId);
  const pending = store.pendingNode(nodeId);
  const device = store.device(nodeId);
  const deviceIsNode = !!device && device.roles.includes("node");
  if (!session && !approved && !pending && !deviceIsNode) return undefined;
  const declared = session ? surfaceFromSession(session) : undefined;
  const base: Partial<NodeSurface> = declared ?? approved ?? pending ?? {
    nodeId,
    displayName: device?.displayName,
    platform: device?.platform,
    clientId: device?.clientId,
    clientMode: device?.clientMode,
    deviceFamily: device?.deviceFamily,
  };
  const eff = declared
    ? effectiveSurface(approved, declared)
    : { caps: approved?.caps ?? [], commands: approved?.commands ?? [] };
  const approvalState: KnownNode["approvalState"] = approved
    ? (pending ? "pending-reapproval" : "approved")
    : (pending ? "pending-approval" : "unapproved");
  return strip({
    nodeId,
    displayName: approved?.renamedTo ?? input.memoryName ?? base.displayName,
    platform: base.platform,
    version: base.version,
    clientId: base.clientId,
    clientMode: base.clientMode,
    deviceFamily: base.deviceFamily,
    remoteIp: session?.peer.remoteIp ?? device?.remoteIp,
    caps: eff.caps,
    commands: eff.commands,
    declaredCommands: declared?.commands,
    approvalState,
    approvedAtMs: approved?.approvedAtMs,
    pendingRequestId: pending?.requestId,
    paired: deviceIsNode,
    connected: !!session,
    connectedAtMs: session?.connectedAtMs,
    lastSeenAtMs: session?.lastSeenAtMs ?? approved?.lastSeenAtMs ?? device?.lastSeenAtMs,
  }) as KnownNode;
}

/** Connected first, then by display name (or id). */
export function compareKnownNodes(a: KnownNode, b: KnownNode): number {
  return Number(b.connected) - Number(a.connected) ||
    (a.displayName ?? a.nodeId).localeCompare(b.displayName ?? b.nodeId);
}
