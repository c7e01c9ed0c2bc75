/**
 * Node over SSH: the node's own supervised tunnel (`node connect --ssh …`, `--remote NAME`, or
 * `gateway.remote` with transport `ssh`). A {@linkcode TunnelSupervisor} keeps
 * `ssh -N -L 127.0.0.1:<free port>:127.0.0.1:<remote port>` up (backoff, dead-link detection,
 * wake from sleep: src/tunnel/supervisor.ts) while the node dials `ws://127.0.0.1:<port>`
 * through it. As a {@linkcode NodeTransport} it tells the node's reconnect loop when the path is
 * up and which layer is down, and it logs each tunnel change naming the layer:
 * `link` (the ssh connection: refused, timed out, dropped, dead), `tunnel` (ssh starting or
 * failed for another reason), `gateway` (ssh up, no gateway answering behind it).
 * @module
 */
import type { Logger } from "../platform/log.ts";
import {
  type TunnelResult,
  type TunnelStateEvent,
  TunnelSupervisor,
} from "../tunnel/supervisor.ts";
import type { SupervisorDeps } from "../tunnel/supervisor.ts";
import type { SshFailureKind } from "../tunnel/classify.ts";
import type { NodeStateLine, NodeTransport, PathLayer } from "./node_host_options.ts";

/** Backoff kinds that mean the ssh connection itself (not ssh's setup) is what failed. */
const LINK_KINDS = new Set<SshFailureKind>(["dead-link", "dropped", "timeout", "refused", "dns"]);

/** Options of {@linkcode SshPath}. */
export interface SshPathOptions {
  /** The target as the user wrote it (`me@host:2222`), for logs. */
  sshTarget: string;
  /** Local port of the forward (a free one, chosen once per run). */
  localPort: number;
  /** Gateway port on the remote loopback, for logs. */
  remotePort: number;
  /** The full ssh argv (after `ssh`). */
  args: string[];
  /** Real spawner, probe, port checks and ledger hooks (src/tunnel/supervisor_deps.ts). */
  deps: SupervisorDeps;
  logger: Logger;
  /** Receives one `{state:"tunnel",…}` line per tunnel change (`--json`). */
  onState?: (line: NodeStateLine) => void;
}

/** The node's supervised tunnel; see the module doc. */
export class SshPath implements NodeTransport {
  /** `ws://127.0.0.1:<localPort>`. */
  readonly url: string;
  #o: SshPathOptions;
  #last?: TunnelStateEvent;
  #waiters = new Set<() => void>();

  constructor(options: SshPathOptions) {
    this.#o = options;
    this.url = `ws://127.0.0.1:${options.localPort}`;
  }

  /**
   * Supervises the tunnel until `signal` aborts (→ `stopped`) or ssh fails for good (→
   * `failed`: wrong key, unknown host key, busy port …; the caller then stops the node).
   */
  run(signal: AbortSignal): Promise<TunnelResult> {
    const o = this.#o;
    const supervisor = new TunnelSupervisor({
      args: o.args,
      localPort: o.localPort,
      onState: (ev) => this.#onState(ev),
      onWake: (jumpMs) =>
        o.logger.info(
          `clock jumped ${Math.round(jumpMs / 1000)}s (woke from sleep?); re-checking the ssh link`,
        ),
    }, o.deps);
    return supervisor.run(signal).finally(() => this.#wake());
  }

  /** Resolves once the tunnel is up (or up with the gateway down), or `signal` aborts. */
  async ready(signal: AbortSignal): Promise<void> {
    while (!signal.aborted && this.#blocked()) {
      let wake!: () => void;
      const changed = new Promise<void>((r) => this.#waiters.add(wake = r));
      const onAbort = () => wake();
      signal.addEventListener("abort", onAbort, { once: true });
      await changed;
      signal.removeEventListener("abort", onAbort);
      this.#waiters.delete(wake);
    }
  }

  /** The layer that is down now, or undefined when the tunnel carries the gateway. */
  downLayer(): PathLayer | undefined {
    const ev = this.#last;
    if (!ev) return "tunnel";
    switch (ev.state) {
      case "up":
        return undefined;
      case "gateway-down":
        return "gateway";
      case "link-down":
        return "link";
      case "backoff":
        return ev.kind && LINK_KINDS.has(ev.kind) ? "link" : "tunnel";
      default:
        return "tunnel";
    }
  }

  #blocked(): boolean {
    const s = this.#last?.state;
    return s !== "up" && s !== "gateway-down" && s !== "failed" && s !== "stopped";
  }

  #onState(ev: TunnelStateEvent): void {
    this.#last = ev;
    const o = this.#o;
    const layer = this.downLayer();
    o.onState?.({
      state: "tunnel",
      ts: ev.ts,
      url: this.url,
      tunnel: ev.state,
      layer,
      target: o.sshTarget,
      attempt: ev.attempt,
      ...(ev.pid ? { sshPid: ev.pid } : {}),
      ...(ev.kind ? { kind: ev.kind } : {}),
      ...(ev.reason ? { reason: ev.reason } : {}),
      ...(ev.delayMs !== undefined ? { retryInMs: ev.delayMs } : {}),
    });
    const path = `127.0.0.1:${o.localPort} → ${o.sshTarget} (remote 127.0.0.1:${o.remotePort})`;
    const log = o.logger;
    switch (ev.state) {
      case "connecting":
        log.info(`ssh tunnel connecting ${path} (attempt ${ev.attempt})`);
        break;
      case "up":
        log.info(`ssh tunnel up ${path} (ssh pid ${ev.pid})`);
        break;
      case "gateway-down":
        log.warn(`gateway down: the ssh tunnel is up but no gateway answers: ${ev.reason}`, {
          layer,
        });
        break;
      case "link-down":
        log.warn(`link down: ${ev.reason}; restarting ssh`, { layer });
        break;
      case "backoff":
        log.warn(
          `${layer} down: ${ev.reason}; ssh restarts in ${((ev.delayMs ?? 0) / 1000).toFixed(1)}s`,
          { layer, kind: ev.kind },
        );
        break;
      case "failed":
        log.error(`ssh tunnel failed: ${ev.reason}`, { kind: ev.kind });
        break;
      case "stopped":
        break;
    }
    this.#wake();
  }

  #wake(): void {
    for (const w of this.#waiters) w();
  }
}
