/**
 * Presence: the gateway's own entry plus one per connected client, versioned by
 * `stateVersion.presence`.
 *
 * Source of the entry shape: `packages/gateway-protocol/src/schema/snapshot.ts`, observed
 * `system-presence` output (reference-peer.md §3).
 * @module
 */
import type { PresenceEntry } from "../protocol/mod.ts";
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
    text: `Gateway: ${host} · app ${VERSION} · mode gateway · reason self`,
    ts,
  };
}

/** The presence entry for a session. */
export function sessionPresence(s: Session): PresenceEntry {
  return {
    host: s.client.displayName,
    clientId: s.client.id,
    ip: s.peer.remoteIp,
    version: s.client.version,
    platform: s.client.platform,
    deviceFamily: s.client.deviceFamily,
    mode: s.client.mode,
    reason: "connect",
    deviceId: s.deviceId,
    roles: [s.role],
    scopes: s.scopes,
    instanceId: s.client.instanceId,
    connId: s.connId,
    ts: s.connectedAtMs,
  };
}
