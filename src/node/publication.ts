/**
 * The node's post-hello publications: `node.host.stats` (at once, then periodically) and
 * `node.runnerInventory.update`, retried at 250 ms → 5 s while the gateway refuses it because
 * the command surface awaits operator approval, which is how a node learns it is pending
 * (reference-peer.md §4, protocol.md §6 "After hello").
 * @module
 */
import { RpcError } from "../protocol/mod.ts";
import type { Logger } from "../platform/log.ts";
import type { GatewayClient } from "../transport/gateway_client.ts";
import { abortableSleep } from "./abortable_sleep.ts";

/** The `node.runnerInventory.update` params OpenClaw's node host sends. */
export const RUNNER_INVENTORY = {
  protocolFeatures: ["node-worker-supervisor-v6"],
  workerHost: { enabled: false },
} as const;

/** Retry delays for a refused publication: 250 ms doubling, capped at 5 s. */
export function publicationRetryDelayMs(attempt: number): number {
  return Math.min(250 * 2 ** attempt, 5_000);
}

/** True for the gateway's "surface awaiting operator approval" refusal. */
export function isAwaitingApproval(err: unknown): boolean {
  return err instanceof RpcError && /approval/i.test(err.message);
}

/** The `node.host.stats` payload for this machine. */
export function hostStats(): Record<string, unknown> {
  let mem: Deno.SystemMemoryInfo | undefined;
  try {
    mem = Deno.systemMemoryInfo();
  } catch { /* unsupported */ }
  let load = [0, 0, 0];
  try {
    load = Deno.loadavg();
  } catch { /* unsupported */ }
  return {
    cpuCount: navigator.hardwareConcurrency,
    loadAverage: load,
    memoryTotalBytes: mem?.total,
    memoryFreeBytes: mem?.available ?? mem?.free,
  };
}

/** What a {@linkcode NodePublisher} reports to its session. */
export interface PublisherDeps {
  client: Pick<GatewayClient, "request">;
  logger: Logger;
  /** Aborts with the node (host stop). */
  signal: AbortSignal;
  /** The gateway refused the inventory because the surface awaits approval. */
  onPendingApproval: (message: string) => void;
  /** The inventory was accepted after an approval refusal. */
  onAcceptedAfterPending: () => void;
}

/** Runs one session's publications until {@linkcode NodePublisher.stop}. */
export class NodePublisher {
  readonly #deps: PublisherDeps;
  readonly #stop = new AbortController();
  readonly #signal: AbortSignal;
  #timer?: ReturnType<typeof setInterval>;
  #wake?: AbortController;

  constructor(deps: PublisherDeps) {
    this.#deps = deps;
    this.#signal = AbortSignal.any([deps.signal, this.#stop.signal]);
  }

  /** Publishes stats then the inventory; repeats stats every `statsIntervalMs` (0 = never). */
  start(statsIntervalMs: number): void {
    void this.#publishInitial();
    if (statsIntervalMs > 0) {
      this.#timer = setInterval(() => void this.sendStats().catch(() => {}), statsIntervalMs);
    }
  }

  /** Retries a refused inventory now (e.g. on `node.pair.resolved approved`). */
  retryNow(): void {
    this.#wake?.abort();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#stop.abort();
  }

  /** Sends one `node.host.stats` node event. */
  sendStats(): Promise<unknown> {
    return this.#deps.client.request("node.event", {
      event: "node.host.stats",
      payloadJSON: JSON.stringify(hostStats()),
    }, { timeoutMs: 10_000 });
  }

  async #publishInitial(): Promise<void> {
    // node.host.stats first (retried: right after silent pairing the real gateway answers a
    // retryable PAIRING_CHANGED), then the runner inventory.
    for (let i = 0; i < 3 && !this.#signal.aborted; i++) {
      try {
        await this.sendStats();
        break;
      } catch (err) {
        if (!(err instanceof RpcError) || !err.retryable) break;
        await abortableSleep(250 * 2 ** i, this.#signal);
      }
    }
    await this.#publishInventory();
  }

  async #publishInventory(): Promise<void> {
    const log = this.#deps.logger;
    let refusedForApproval = false;
    for (let attempt = 0; !this.#signal.aborted; attempt++) {
      try {
        const res = await this.#deps.client.request(
          "node.runnerInventory.update",
          RUNNER_INVENTORY,
          { timeoutMs: 10_000 },
        );
        log.debug("node.runnerInventory.update", { res });
        if (refusedForApproval) this.#deps.onAcceptedAfterPending();
        return;
      } catch (err) {
        log.debug("node.runnerInventory.update failed", { err: String(err) });
        if (this.#signal.aborted) return;
        if (isAwaitingApproval(err)) {
          refusedForApproval = true;
          this.#deps.onPendingApproval((err as RpcError).message);
        } else if (!(err instanceof RpcError) || !err.retryable) return;
      }
      this.#wake = new AbortController();
      await abortableSleep(
        publicationRetryDelayMs(attempt),
        AbortSignal.any([this.#signal, this.#wake.signal]),
      );
    }
  }
}
