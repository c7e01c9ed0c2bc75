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
import { checkHttp, checkLink, type HttpAnswer } from "../transport/link_check.ts";
import {
  classifySshExit,
  type SshClassification,
  type SshFailureKind,
  sshMissing,
} from "./classify.ts";
import { type LinkCheckFn, LinkState } from "./link_state.ts";
import { monitorForward } from "./monitor_forward.ts";
import { SshStderr } from "./ssh_stderr.ts";
import { withLinkForward } from "./ssh_args.ts";
import { sleep, sleepUnlessWake, WakeWatch, within } from "./wake_watch.ts";

export { sleep };

/** A supervisor state. */
export type TunnelState =
  | "connecting"
  | "up"
  | "gateway-down"
  | "link-down"
  | "backoff"
  | "failed"
  | "stopped";

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
  /** The link check over the sentinel forward. @default {checkLink} (src/transport/link_check.ts) */
  linkCheck?: LinkCheckFn;
  /** The routine check through the forward. @default {checkHttp} (src/transport/link_check.ts) */
  quickCheck?: (port: number, timeoutMs: number, signal: AbortSignal) => Promise<HttpAnswer>;
  /** Wake-from-sleep detector. @default {new WakeWatch()} */
  wakeWatch?: WakeWatch;
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
  /**
   * Forward a local Unix socket to a remote path that cannot exist, and check the link through
   * it (src/transport/link_check.ts). @default {true}
   */
  linkCheck?: boolean;
  /** Gap between routine checks while connected, in milliseconds. @default {2000} */
  linkCheckIntervalMs?: number;
  /**
   * How long a routine check, then a link check, waits, in milliseconds: both silent = a dead
   * link. @default {2000}
   */
  linkCheckTimeoutMs?: number;
  /** Called when the machine woke from sleep (clock jump, in ms); the link is re-checked at once. */
  onWake?: (jumpMs: number) => void;
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
    const linkDir = this.#o.linkCheck === false
      ? undefined
      : await Deno.makeTempDir({ prefix: "clawgate-ssh-" }).catch(() => undefined);
    try {
      return await this.#loop(signal, linkDir && `${linkDir}/link.sock`);
    } finally {
      if (linkDir) await Deno.remove(linkDir, { recursive: true }).catch(() => {});
    }
  }

  async #loop(signal: AbortSignal, linkSocket: string | undefined): Promise<TunnelResult> {
    const now = this.#d.now ?? Date.now;
    const args = linkSocket ? withLinkForward(this.#o.args, linkSocket) : this.#o.args;
    const wake = this.#d.wakeWatch ?? new WakeWatch();
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
        proc = this.#d.spawner.spawn(this.#o.sshPath ?? "ssh", args);
      } catch (err) {
        const c = err instanceof Deno.errors.NotFound ? sshMissing() : undefined;
        return this.#fail(c?.kind ?? "unknown", `Cannot start ssh: ${(err as Error).message}`, c);
      }
      await this.#d.onSpawn?.(proc.pid).catch(() => {});
      const outcome = await this.#watch(proc, signal, now, linkSocket, wake);
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
      const jumpMs = await sleepUnlessWake(delayMs, signal, wake);
      if (jumpMs) this.#o.onWake?.(jumpMs);
    }
    this.#emit({ state: "stopped" });
    return { state: "stopped", spawns: this.#spawns };
  }

  async #watch(
    proc: SpawnedProcess,
    signal: AbortSignal,
    now: () => number,
    linkSocket: string | undefined,
    wake: WakeWatch,
  ): Promise<{ classification: SshClassification; message: string; upForMs: number }> {
    const stderr = new SshStderr(proc.stderrLines, this.#d.onStderr);
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

    const link = new LinkState(
      linkSocket,
      this.#o.linkCheckTimeoutMs ?? 2000,
      async (path, ms, sig) => {
        stderr.expectLinkRefusal();
        const answer = await (this.#d.linkCheck ?? checkLink)(path, ms, sig);
        if (answer === "no-listener") stderr.unexpectLinkRefusal();
        return answer;
      },
    );
    const verdict = accepting
      ? await monitorForward({
        url: `ws://127.0.0.1:${this.#o.localPort}`,
        probe: this.#d.probe,
        probeIntervalMs: this.#o.probeIntervalMs ?? 10_000,
        probeTimeoutMs: this.#o.probeTimeoutMs ?? 5000,
        linkIntervalMs: this.#o.linkCheckIntervalMs ?? 2000,
        quickCheck: (sig) =>
          (this.#d.quickCheck ?? checkHttp)(
            this.#o.localPort,
            this.#o.linkCheckTimeoutMs ?? 2000,
            sig,
          ),
        link,
        stderr,
        wake,
        signal: either,
        now,
        onWake: this.#o.onWake,
        report: {
          up: () => {
            if (this.#state === "up") return;
            upSince ??= now();
            this.#emit({ state: "up", pid });
          },
          gatewayDown: (reason) => {
            if (this.#state === "gateway-down") return;
            this.#emit({
              state: "gateway-down",
              pid,
              reason,
              kind: "gateway-refused",
              hint:
                "ssh is up but the gateway does not answer on the remote port; start `clawgate gateway run` there or check --remote-port",
            });
          },
          linkDown: (v) =>
            this.#emit({
              state: "link-down",
              pid,
              reason: v.message,
              kind: v.classification.kind,
              hint: v.classification.hint,
            }),
        },
      })
      : undefined;

    if (signal.aborted || readyTimedOut || verdict) await this.#terminate(proc);
    await proc.status;
    await within(stderr.done, 500);
    const upForMs = upSince === undefined ? 0 : now() - upSince;
    if (verdict) return { ...verdict, upForMs };
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
    const classification = classifySshExit(stderr.tail);
    const last = stderr.tail.filter((l) => l.trim()).at(-1);
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
