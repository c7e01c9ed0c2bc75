/**
 * The gateway's in-memory state: live sessions, presence and state versions, and event
 * fan-out with the delivery rules of protocol.md §5.1 (`tick`/`shutdown`/`health` to everyone,
 * `presence` to readers, `*.pair.*` to pairing-scoped operators).
 * @module
 */
import type { LoadedConfig } from "../config/load.ts";
import type { Logger } from "../platform/log.ts";
import { hasScope, type PresenceEntry, Scopes, type StateVersion } from "../protocol/client.ts";
import type { ListenerLimits } from "../transport/http_listener.ts";
import { type GatewayAuth, rateLimitedError } from "./auth.ts";
import { authLimiterKey, AuthRateLimiter, type AuthScope } from "./auth_rate_limit.ts";
import { type BroadcastFrame, encodeBroadcast, type Serializer } from "./event_frame.ts";
import { selfPresence, sessionPresence } from "./presence.ts";
import type { PeerInfo, Session } from "./session.ts";

/** Static facts about a running gateway. */
export interface GatewayInfo {
  host: string;
  port: number;
  bind: string;
  auth: GatewayAuth;
  /** Where the generated token lives when one was generated. */
  generatedTokenPath?: string;
  tickIntervalMs: number;
  /** Pre-auth window in milliseconds (`CLAWGATE_HANDSHAKE_TIMEOUT_MS`, default 15000). */
  handshakeTimeoutMs?: number;
  /** Direct-loopback device pairing is approved silently (`gateway.nodes.pairing.autoApproveLocal`). */
  autoApproveLocal: boolean;
  /** Node command surfaces are approved without an operator (`gateway.nodes.autoApprove`). */
  autoApproveNodes: boolean;
  /** Listener limits (header timeout, pre-handshake caps); defaults when unset. */
  listenerLimits?: Partial<ListenerLimits>;
}

/** Shared state handed to handshake and method handlers. */
export class GatewayState {
  readonly info: GatewayInfo;
  readonly loaded: LoadedConfig;
  readonly logger: Logger;
  readonly startedAtMs = Date.now();
  readonly instanceId = crypto.randomUUID();
  readonly bootId = crypto.randomUUID();
  readonly sessions = new Map<string, Session>();
  readonly stateVersion: StateVersion = { presence: 1, health: 1 };
  /** Hooks run when a session closes (node registry, pending invokes). */
  readonly onSessionClosed: Array<(s: Session) => void> = [];

  constructor(info: GatewayInfo, loaded: LoadedConfig, logger: Logger) {
    this.info = info;
    this.loaded = loaded;
    this.logger = logger;
    this.authLimiter = new AuthRateLimiter(loaded.config.gateway?.auth?.rateLimit ?? {});
  }

  /** Failed-authentication limiter (`gateway.auth.rateLimit`). */
  readonly authLimiter: AuthRateLimiter;

  /**
   * Refuses a peer that is locked out for `scope` (check before comparing any secret).
   *
   * @throws {RpcError} `AUTH_RATE_LIMITED` with `retryAfterMs`.
   */
  authCheck(peer: PeerInfo, scope: AuthScope): void {
    const { key, exempt } = authLimiterKey(peer, scope);
    const r = this.authLimiter.check(key, exempt);
    if (!r.allowed) throw rateLimitedError(r.retryAfterMs);
  }

  /**
   * Records a wrong secret for `scope`; waits out the loopback delay (250 ms doubling to 5 s,
   * shared by concurrent failures) when the peer is exempt from lockouts.
   */
  authFailed(peer: PeerInfo, scope: AuthScope): Promise<void> {
    const { key, exempt } = authLimiterKey(peer, scope);
    return this.authLimiter.failed(key, exempt);
  }

  /** Forgets the peer's failures for `scope` after a correct secret. */
  authSucceeded(peer: PeerInfo, scope: AuthScope): void {
    this.authLimiter.succeeded(authLimiterKey(peer, scope).key);
  }

  /** Uptime in milliseconds. */
  get uptimeMs(): number {
    return Date.now() - this.startedAtMs;
  }

  /** Live sessions by role: `{operators, nodes}`; a running count, O(1). */
  connectionCounts(): { operators: number; nodes: number } {
    return { operators: this.sessions.size - this.#nodeCount, nodes: this.#nodeCount };
  }

  /**
   * Current presence list: the gateway itself first, then listed sessions in connect order.
   * Kept up to date on connect and disconnect and rebuilt only after a change; do not mutate.
   */
  presence(): PresenceEntry[] {
    return this.#presenceList ??= [
      selfPresence(this.instanceId, this.startedAtMs),
      ...this.#listed.values(),
    ];
  }

  /** Connected sessions of a node (by `nodeId`), newest first. */
  nodeSessions(nodeId: string): Session[] {
    const set = this.#byNode.get(nodeId);
    return set ? [...set].reverse() : [];
  }

  /** Connected sessions (any role) authenticated as the device `deviceId`, oldest first. */
  deviceSessions(deviceId: string): Session[] {
    return [...this.#byDevice.get(deviceId) ?? []];
  }

  /** Registers a session and announces the presence change. */
  addSession(s: Session): void {
    this.sessions.set(s.connId, s);
    if (s.role === "node") {
      this.#nodeCount++;
      indexAdd(this.#byNode, s.nodeId, s);
    }
    if (s.deviceId) indexAdd(this.#byDevice, s.deviceId, s);
    if (isListed(s)) {
      this.#listed.set(s.connId, sessionPresence(s));
      this.#presenceChanged();
    }
  }

  /** Removes a session, runs close hooks and announces the presence change. */
  removeSession(s: Session): void {
    if (!this.sessions.delete(s.connId)) return;
    if (s.role === "node") {
      this.#nodeCount--;
      indexDelete(this.#byNode, s.nodeId, s);
    }
    if (s.deviceId) indexDelete(this.#byDevice, s.deviceId, s);
    for (const hook of this.onSessionClosed) {
      try {
        hook(s);
      } catch (err) {
        this.logger.error("session close hook failed", { error: (err as Error).message });
      }
    }
    if (this.#listed.delete(s.connId)) this.#presenceChanged();
  }

  /**
   * Sends an event to every session allowed to receive it. The payload is serialised once
   * (with {@linkcode serialize}); each recipient gets the same text around its own `seq`.
   *
   * @param event Event name; delivery follows protocol.md §5.1.
   */
  broadcast(event: string, payload: unknown, options: { stateVersion?: StateVersion } = {}): void {
    let frame: BroadcastFrame | undefined;
    for (const s of this.sessions.values()) {
      if (!mayReceive(s, event)) continue;
      frame ??= encodeBroadcast(event, payload, options.stateVersion, this.serialize);
      s.sendBroadcast(frame);
    }
  }

  /** Serialiser of broadcast payloads (a seam for tests that count serialisations). */
  serialize: Serializer = JSON.stringify;

  /** Cancels a pending presence event (on shutdown, once the sessions are gone). */
  stopEvents(): void {
    this.#eventsStopped = true;
    clearTimeout(this.#presenceTimer);
    this.#presenceTimer = undefined;
  }

  #eventsStopped = false;
  #nodeCount = 0;
  readonly #byNode = new Map<string, Set<Session>>();
  readonly #byDevice = new Map<string, Set<Session>>();
  readonly #listed = new Map<string, PresenceEntry>();
  #presenceList: PresenceEntry[] | undefined;
  #presenceTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Bumps `stateVersion.presence` at once (hello snapshots carry it) and sends one `presence`
   * event, with the full list as upstream does, for all changes within a window of
   * {@linkcode presenceWindowMs} (a burst of connects is one event, not one per connect).
   */
  #presenceChanged(): void {
    this.stateVersion.presence++;
    this.#presenceList = undefined;
    if (this.#eventsStopped) return;
    this.#presenceTimer ??= setTimeout(() => {
      this.#presenceTimer = undefined;
      this.broadcast("presence", { presence: this.presence() }, {
        stateVersion: { ...this.stateVersion },
      });
    }, presenceWindowMs(this.#listed.size));
  }
}

/**
 * How long presence changes are gathered into one `presence` event, in ms: 2 ms per listed
 * session, at least 100 ms and at most 5 s. An event carries the whole list (~300 bytes an
 * entry), so during a connect storm a reader receives about 150 KB/s of presence whatever the
 * fleet's size, instead of one full list per connect.
 */
export function presenceWindowMs(listed: number): number {
  return Math.min(5_000, Math.max(100, listed * 2));
}

/**
 * Whether a session appears in presence: not the one-shot or service modes `cli`, `backend`
 * and `probe` (upstream's `isEphemeralGatewayClient`, `src/utils/message-channel.ts`,
 * openclaw@2026.9.6: those never get a presence key).
 */
export function isListed(s: Session): boolean {
  const mode = s.client.mode;
  return mode !== "cli" && mode !== "backend" && mode !== "probe";
}

function indexAdd(index: Map<string, Set<Session>>, key: string, s: Session): void {
  const set = index.get(key);
  if (set) set.add(s);
  else index.set(key, new Set([s]));
}

function indexDelete(index: Map<string, Set<Session>>, key: string, s: Session): void {
  const set = index.get(key);
  if (set?.delete(s) && set.size === 0) index.delete(key);
}

function mayReceive(s: Session, event: string): boolean {
  if (event === "tick" || event === "shutdown" || event === "health" || event === "heartbeat") {
    return true;
  }
  if (s.role !== "operator") return false;
  if (event === "presence" || event.startsWith("node.presence")) {
    return hasScope(s.scopes, Scopes.READ);
  }
  if (event.includes(".pair.")) return hasScope(s.scopes, Scopes.PAIRING);
  return false;
}
