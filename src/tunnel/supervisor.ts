/**
 * Supervises one `ssh -N -L`: checks the local port, spawns ssh, waits until the forward
 * carries the gateway's `connect.challenge`, keeps probing, and restarts ssh with jittered
 * backoff when it exits for a retriable reason. A dead gateway behind a live ssh is reported
 * as `gateway-down` and never "fixed" by restarting ssh.
 *
 * States: `connecting → up ⇄ gateway-down → backoff → connecting …`, ending in `failed`
 * (fatal ssh error) or `stopped` (the signal was aborted; SIGTERM, grace, SIGKILL).
 * Sources: tunnel-and-deno.md A1–A3, B1.
 * @module
 */
import type { SpawnedProcess, Spawner } from "../platform/spawner.ts";
import type { PortCheck } from "../transport/port_check.ts";
import { Backoff, type BackoffOptions } from "../platform/backoff.ts";
import {
  classifySshExit,
  type SshClassification,
  type SshFailureKind,
  sshMissing,
} from "./classify.ts";

/** A supervisor state. */
export type TunnelState = "connecting" | "up" | "gateway-down" | "backoff" | "failed" | "stopped";

/** One state change. */
export interface TunnelStateEvent {
  state: TunnelState;
  /** Epoch milliseconds. */
  ts: number;
  /** 1-based ssh spawn count. */
  attempt: number;
  /** ssh pid, when one runs. */
  pid?: number;
  /** `backoff`: the wait before the next spawn, in milliseconds. */
  delayMs?: number;
  /** Why (ssh's stderr line or the probe error). */
  reason?: string;
  kind?: SshFailureKind;
  hint?: string;
}

/** How the supervisor ended. */
export interface TunnelResult {
  state: "failed" | "stopped";
  failure?: { kind: SshFailureKind; message: string; hint: string };
  /** How many times ssh was spawned. */
  spawns: number;
}

/** Outside world of the supervisor (all injectable). */
export interface SupervisorDeps {
  spawner: Spawner;
  /** Resolves when the gateway's challenge came through `url`; rejects otherwise. */
  probe: (url: string, options: { timeoutMs: number; signal: AbortSignal }) => Promise<unknown>;
  tcpAccepts: (port: number, timeoutMs: number) => Promise<boolean>;
  checkPortFree: (port: number) => Promise<PortCheck>;
  /** Called right after each spawn / after each exit (pid ledger). */
  onSpawn?: (pid: number) => Promise<void>;
  onExit?: (pid: number) => Promise<void>;
  /** Debug sink for ssh's stderr lines. */
  onStderr?: (line: string) => void;
  now?: () => number;
}

/** Options of {@linkcode TunnelSupervisor}. */
export interface SupervisorOptions {
  /** ssh program. @default {"ssh"} */
  sshPath?: string;
  /** Arguments after `ssh` (see buildSshArgs). */
  args: string[];
  localPort: number;
  /** Deadline from spawn to the local port accepting, in milliseconds. @default {20000} */
  readyTimeoutMs?: number;
  /** Gap between gateway probes while connected, in milliseconds. @default {10000} */
  probeIntervalMs?: number;
  /** Deadline of one probe, in milliseconds. @default {5000} */
  probeTimeoutMs?: number;
  /** SIGTERM → SIGKILL grace on stop, in milliseconds. @default {3000} */
  stopGraceMs?: number;
  /** Give up after this many spawns (`--once` uses 1). @default {Infinity} */
  maxSpawns?: number;
  backoff?: BackoffOptions;
  onState: (event: TunnelStateEvent) => void;
}

/** Runs the supervision loop; see the module doc. */
export class TunnelSupervisor {
  #o: SupervisorOptions;
  #d: SupervisorDeps;
  #backoff: Backoff;
  #spawns = 0;
  #state: TunnelState | undefined;

  constructor(options: SupervisorOptions, deps: SupervisorDeps) {
    this.#o = options;
    this.#d = deps;
    this.#backoff = new Backoff(options.backoff);
  }

  /** The current state. */
  get state(): TunnelState | undefined {
    return this.#state;
  }

  /**
   * Supervises until `signal` aborts (→ `stopped`) or a fatal error (→ `failed`).
   * Never throws for ssh failures; they end up in the result.
   */
  async run(signal: AbortSignal): Promise<TunnelResult> {
    const now = this.#d.now ?? Date.now;
    while (!signal.aborted) {
      const check = await this.#d.checkPortFree(this.#o.localPort);
      if (!check.free) {
        const who = check.holder
          ? ` by pid ${check.holder.pid} (${check.holder.command || "unknown"})`
          : "";
        return this.#fail(
          "port-busy",
          `Local port ${this.#o.localPort} is already in use on ${check.address}${who}`,
          {
            hint: `Stop that process or pass --local-port N (another free port)`,
          },
        );
      }
      this.#spawns++;
      this.#emit({ state: "connecting" });
      let proc: SpawnedProcess;
      try {
        proc = this.#d.spawner.spawn(this.#o.sshPath ?? "ssh", this.#o.args);
      } catch (err) {
        const c = err instanceof Deno.errors.NotFound ? sshMissing() : undefined;
        return this.#fail(c?.kind ?? "unknown", `Cannot start ssh: ${(err as Error).message}`, c);
      }
      await this.#d.onSpawn?.(proc.pid).catch(() => {});
      const outcome = await this.#watch(proc, signal, now);
      await this.#d.onExit?.(proc.pid).catch(() => {});
      if (signal.aborted) break;
      const c = outcome.classification;
      if (c.fatal || this.#spawns >= (this.#o.maxSpawns ?? Infinity)) {
        return this.#fail(c.kind, outcome.message, c);
      }
      const delayMs = this.#backoff.next(outcome.upForMs);
      this.#emit({
        state: "backoff",
        delayMs,
        reason: outcome.message,
        kind: c.kind,
        hint: c.hint,
      });
      await sleep(delayMs, signal);
    }
    this.#emit({ state: "stopped" });
    return { state: "stopped", spawns: this.#spawns };
  }

  async #watch(
    proc: SpawnedProcess,
    signal: AbortSignal,
    now: () => number,
  ): Promise<{ classification: SshClassification; message: string; upForMs: number }> {
    const tail: string[] = [];
    const reader = (async () => {
      for await (const line of proc.stderrLines) {
        this.#d.onStderr?.(line);
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
    })().catch(() => {});
    const exited = new AbortController();
    let status: { code: number; signal: string | null } | undefined;
    proc.status.then((s) => {
      status = s;
      exited.abort();
    });
    const either = AbortSignal.any([signal, exited.signal]);
    const pid = proc.pid;
    let upSince: number | undefined;
    let readyTimedOut = false;

    const deadline = now() + (this.#o.readyTimeoutMs ?? 20_000);
    let accepting = false;
    while (!either.aborted && now() < deadline) {
      if (await this.#d.tcpAccepts(this.#o.localPort, 500)) {
        accepting = true;
        break;
      }
      await sleep(100, either);
    }
    if (!accepting && !either.aborted) readyTimedOut = true;

    while (accepting && !either.aborted) {
      let probeError: string | undefined;
      try {
        await this.#d.probe(`ws://127.0.0.1:${this.#o.localPort}`, {
          timeoutMs: this.#o.probeTimeoutMs ?? 5000,
          signal: either,
        });
      } catch (err) {
        probeError = (err as Error).message;
      }
      if (either.aborted) break;
      if (probeError !== undefined) {
        // ssh may be dying right now: don't blame the gateway for that.
        await sleep(200, either);
        if (either.aborted) break;
        if (this.#state !== "gateway-down") {
          this.#emit({
            state: "gateway-down",
            pid,
            reason: probeError,
            kind: "gateway-refused",
            hint:
              "ssh is up but the gateway does not answer on the remote port; start `clawgate gateway run` there or check --remote-port",
          });
        }
      } else if (this.#state !== "up") {
        upSince ??= now();
        this.#emit({ state: "up", pid });
      }
      await sleep(this.#o.probeIntervalMs ?? 10_000, either);
    }

    if (signal.aborted || readyTimedOut) await this.#terminate(proc);
    await proc.status;
    await within(reader, 500);
    const upForMs = upSince === undefined ? 0 : now() - upSince;
    if (readyTimedOut) {
      return {
        classification: {
          kind: "timeout",
          fatal: false,
          hint: "ssh did not open the forward in time",
        },
        message: `ssh did not open 127.0.0.1:${this.#o.localPort} within ${
          this.#o.readyTimeoutMs ?? 20_000
        }ms`,
        upForMs,
      };
    }
    const classification = classifySshExit(tail);
    const last = tail.filter((l) => l.trim()).at(-1);
    const how = status?.signal ? `killed by ${status.signal}` : `exit ${status?.code}`;
    return { classification, message: `ssh ${how}${last ? `: ${last}` : ""}`, upForMs };
  }

  async #terminate(proc: SpawnedProcess): Promise<void> {
    proc.kill("SIGTERM");
    if (!await within(proc.status, this.#o.stopGraceMs ?? 3000)) proc.kill("SIGKILL");
  }

  #fail(kind: SshFailureKind, message: string, c?: { hint: string }): TunnelResult {
    const hint = c?.hint ?? "";
    this.#emit({ state: "failed", reason: message, kind, hint });
    return { state: "failed", failure: { kind, message, hint }, spawns: this.#spawns };
  }

  #emit(partial: Omit<TunnelStateEvent, "ts" | "attempt">): void {
    this.#state = partial.state;
    this.#o.onState({ ...partial, ts: (this.#d.now ?? Date.now)(), attempt: this.#spawns });
  }
}

/** Whether `promise` settled within `ms` milliseconds (the timer is always cleared). */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  const ac = new AbortController();
  try {
    return await Promise.race([
      promise.then(() => true, () => true),
      sleep(ms, ac.signal).then(() => false),
    ]);
  } finally {
    ac.abort();
  }
}

/** Resolves after `ms` milliseconds or as soon as `signal` aborts (never rejects). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
