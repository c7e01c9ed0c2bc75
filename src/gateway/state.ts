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
import type { GatewayAuth } from "./auth.ts";
import { selfPresence, sessionPresence } from "./presence.ts";
import type { Session } from "./session.ts";

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
  }

  readonly #authFailures = new Map<string, { count: number; lastMs: number }>();

  /**
   * Waits before answering a failed authentication: 250 ms doubling to 5 s per source IP,
   * forgotten after 60 s without failures (OpenClaw's loopback rate limiter, protocol.md §4).
   */
  async authFailureDelay(ip: string): Promise<void> {
    const now = Date.now();
    const prev = this.#authFailures.get(ip);
    const count = prev && now - prev.lastMs < 60_000 ? prev.count + 1 : 1;
    this.#authFailures.set(ip, { count, lastMs: now });
    const delayMs = Math.min(5_000, 250 * 2 ** (count - 1));
    await new Promise((r) => setTimeout(r, delayMs));
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
