/**
 * The gateway's in-memory state: live sessions, presence and state versions, and event
 * fan-out with the delivery rules of protocol.md §5.1 (`tick`/`shutdown`/`health` to everyone,
 * `presence` to readers, `*.pair.*` to pairing-scoped operators).
 * @module
 */
import type { LoadedConfig } from "../config/load.ts";
import type { Logger } from "../platform/log.ts";
import { hasScope, type PresenceEntry, Scopes, type StateVersion } from "../protocol/mod.ts";
import type { ListenerLimits } from "../transport/http_listener.ts";
import { type GatewayAuth, rateLimitedError } from "./auth.ts";
import { authLimiterKey, AuthRateLimiter, type AuthScope } from "./auth_rate_limit.ts";
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

  /** Live sessions by role: `{operators, nodes}`. */
  connectionCounts(): { operators: number; nodes: number } {
    let nodes = 0;
    for (const s of this.sessions.values()) if (s.role === "node") nodes++;
    return { operators: this.sessions.size - nodes, nodes };
  }

  /** Current presence list: the gateway itself first, then sessions. */
  presence(): PresenceEntry[] {
    const list = [selfPresence(this.instanceId, this.startedAtMs)];
    for (const s of this.sessions.values()) {
      if (s.client.mode === "cli" || s.client.mode === "probe") continue; // one-shot calls
      list.push(sessionPresence(s));
    }
    return list;
  }

  /** Registers a session and announces the presence change. */
  addSession(s: Session): void {
    this.sessions.set(s.connId, s);
    if (s.client.mode !== "cli" && s.client.mode !== "probe") this.#presenceChanged();
  }

  /** Removes a session, runs close hooks and announces the presence change. */
  removeSession(s: Session): void {
    if (!this.sessions.delete(s.connId)) return;
    for (const hook of this.onSessionClosed) {
      try {
        hook(s);
      } catch (err) {
        this.logger.error("session close hook failed", { error: (err as Error).message });
      }
    }
    if (s.client.mode !== "cli" && s.client.mode !== "probe") this.#presenceChanged();
  }

  /**
   * Sends an event to every session allowed to receive it.
   *
   * @param event Event name; delivery follows protocol.md §5.1.
   */
  broadcast(event: string, payload: unknown, options: { stateVersion?: StateVersion } = {}): void {
    for (const s of this.sessions.values()) {
      if (!mayReceive(s, event)) continue;
      s.sendEvent(event, payload, { broadcast: true, stateVersion: options.stateVersion });
    }
  }

  #presenceChanged(): void {
    this.stateVersion.presence++;
    this.broadcast("presence", { presence: this.presence() }, {
      stateVersion: { ...this.stateVersion },
    });
  }
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
