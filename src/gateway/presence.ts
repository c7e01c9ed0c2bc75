/**
 * Presence: the gateway's own entry plus one per connected client, versioned by
 * `stateVersion.presence`.
 *
 * Source of the entry shape: `packages/gateway-protocol/src/schema/snapshot.ts`, observed
 * `system-presence` output (reference-peer.md §3).
 * @module
 */
import { hasScope, type PresenceEntry, Scopes } from "../protocol/client.ts";
import { VERSION } from "../version.ts";
import type { Session } from "./session.ts";

function platformString(): string {
  try {
    return `${Deno.build.os} ${Deno.osRelease()}`;
  } catch {
    return Deno.build.os;
  }
}

function hostName(): string {
  try {
    return Deno.hostname();
  } catch {
    return "localhost";
  }
}

/** Builds the gateway's own presence entry. */
export function selfPresence(instanceId: string, ts: number): PresenceEntry {
  const host = hostName();
  return {
    host,
    ip: "127.0.0.1",
    version: VERSION,
    platform: platformString(),
    deviceFamily: Deno.build.os === "darwin"
      ? "Mac"
      : Deno.build.os === "windows"
      ? "Windows"
      : "Linux",
    mode: "gateway",
    reason: "self",
    instanceId,
    text: `Gateway: ${host} (127.0.0.1) · app ${VERSION} · mode gateway · reason self`,
    ts,
  };
}

/**
 * The presence entry for a session, shaped as upstream's connect-time `upsertPresence`
 * (`src/gateway/server/ws-connection/message-handler.ts`, openclaw@2026.9.6): `host` falls back
 * to the client id, `ip` only for non-local peers, a node's `instanceId` is its device id.
 * Connection ids stay out (the schema is closed).
 */
export function sessionPresence(s: Session): PresenceEntry {
  const host = s.client.displayName || s.client.id;
  return {
    host,
    clientId: s.client.id,
    ip: s.peer.isLocal || !s.peer.remoteIp ? undefined : s.peer.remoteIp,
    version: s.client.version,
    platform: s.client.platform,
    deviceFamily: s.client.deviceFamily || undefined,
    modelIdentifier: s.client.modelIdentifier || undefined,
    timeZone: s.client.timeZone || undefined,
    mode: s.client.mode,
    reason: "connect",
    deviceId: s.deviceId,
    roles: [s.role],
    scopes: s.scopes.length ? s.scopes : undefined,
    instanceId: (s.role === "node" ? s.deviceId ?? s.client.instanceId : s.client.instanceId) ||
      undefined,
    text: `Node: ${host} · mode ${s.client.mode}`,
    ts: s.connectedAtMs,
  };
}

/**
 * The presence list a session may see: everything for an operator holding `operator.read`,
 * nothing for nodes and no-scope operators, as upstream's `createPresenceRecipientProjection`
 * (`src/gateway/presence-projection.ts`, openclaw@2026.9.6) does for `hello-ok`.
 */
export function presenceVisibleTo(
  viewer: { role: string; scopes: readonly string[] },
  presence: () => PresenceEntry[],
): PresenceEntry[] {
  if (viewer.role !== "operator" || !hasScope(viewer.scopes, Scopes.READ)) return [];
  return presence();
}
