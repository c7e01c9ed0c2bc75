/**
 * A node's command surface: what it declares in `connect` (or in its live session), what is
 * effective (declared ∩ approved), and the small set helpers the registry and catalog share.
 *
 * Source: `src/gateway/node-connect-reconcile.ts` (openclaw@2026.9.6), protocol.md §3.5.
 * @module
 */
import type { ConnectParams } from "../../protocol/mod.ts";
import type { Session } from "../session.ts";
import type { NodeSurface, PairedNode } from "../devices/store.ts";

/** The surface a node declares in `connect`. */
export function surfaceFromConnect(params: ConnectParams, nodeId: string): NodeSurface {
  return strip({
    nodeId,
    clientId: params.client.id,
    clientMode: params.client.mode,
    displayName: params.client.displayName,
    platform: params.client.platform,
    version: params.client.version,
    deviceFamily: params.client.deviceFamily,
    caps: uniq(params.caps ?? []),
    commands: uniq(params.commands ?? []),
  });
}

/** The surface a connected node session declared. */
export function surfaceFromSession(s: Session): NodeSurface {
  return strip({
    nodeId: s.nodeId,
    clientId: s.client.id,
    clientMode: s.client.mode,
    displayName: s.client.displayName,
    platform: s.client.platform,
    version: s.client.version,
    deviceFamily: s.client.deviceFamily,
    caps: uniq(s.caps),
    commands: uniq(s.commands),
  });
}

/** Declared ∩ approved caps and commands (nothing without an approved surface). */
export function effectiveSurface(
  approved: PairedNode | undefined,
  declared: { caps: string[]; commands: string[] },
): { caps: string[]; commands: string[] } {
  if (!approved) return { caps: [], commands: [] };
  return {
    caps: uniq(declared.caps).filter((c) => approved.caps.includes(c)),
    commands: uniq(declared.commands).filter((c) => approved.commands.includes(c)),
  };
}

/** The descriptive fields of a surface (no caps or commands). */
export function metaOf(s: NodeSurface): Partial<NodeSurface> {
  return strip({
    clientId: s.clientId,
    clientMode: s.clientMode,
    displayName: s.displayName,
    platform: s.platform,
    version: s.version,
    deviceFamily: s.deviceFamily,
  });
}

/** Distinct values, first occurrence order. */
export function uniq(a: readonly string[]): string[] {
  return [...new Set(a)];
}

/** Same members, ignoring order and duplicates. */
export function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  return sa.size === new Set(b).size && b.every((x) => sa.has(x));
}

/** Drops `undefined`-valued keys. */
export function strip<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
