/**
 * The real {@linkcode TunnelSupervisor} in-process, driving the real `ssh` against a test sshd
 * (tests/helpers/sshd.ts): its state events in order, bounded waits on them, and a stop that
 * always tears ssh down. For tests and bench scripts that need the supervisor's events rather
 * than the CLI's output.
 * @module
 */
import { createDenoSpawner } from "../../src/platform/spawner.ts";
import { probeChallenge } from "../../src/transport/challenge_probe.ts";
import { checkLocalPortFree, tcpAccepts } from "../../src/transport/port_check.ts";
import { buildSshArgs } from "../../src/tunnel/ssh_args.ts";
import {
  type SupervisorOptions,
  type TunnelResult,
  type TunnelStateEvent,
  TunnelSupervisor,
} from "../../src/tunnel/supervisor.ts";
import { freePort } from "./net.ts";
import type { SshdHandle } from "./sshd.ts";

/** A running supervisor. */
export interface SupervisedTunnel {
  localPort: number;
  /** Every state event so far, oldest first. */
  events: TunnelStateEvent[];
  /** Wall-clock ms of each `onWake` call. */
  wakes: number[];
  /** Waits for an event at index ≥ `from` matching `pred`; throws after `timeoutMs`. */
  waitFor(
    pred: (e: TunnelStateEvent) => boolean,
    timeoutMs: number,
    from?: number,
  ): Promise<TunnelStateEvent>;
  /** Aborts the supervisor and waits for its result (ssh terminated). */
  stop(): Promise<TunnelResult>;
}

/**
 * Starts a supervisor forwarding a fresh local port to `remotePort` on `sshd`'s host.
 *
 * @param options Supervisor option overrides (intervals, timeouts).
 */
export function superviseTunnel(
  sshd: SshdHandle,
  remotePort: number,
  options: Partial<SupervisorOptions> = {},
): SupervisedTunnel {
  const localPort = freePort();
  const events: TunnelStateEvent[] = [];
  const wakes: number[] = [];
  const waiters = new Set<() => void>();
  const ac = new AbortController();
  const supervisor = new TunnelSupervisor({
    args: buildSshArgs({
      target: sshd.target,
      localPort,
      remotePort,
      sshPort: sshd.port,
      identity: sshd.clientKey,
      sshOptions: [`UserKnownHostsFile=${sshd.knownHosts}`, "GlobalKnownHostsFile=/dev/null"],
    }),
    localPort,
    onWake: () => wakes.push(Date.now()),
    ...options,
    onState: (e) => {
      events.push(e);
      for (const w of waiters) w();
    },
  }, {
    spawner: createDenoSpawner(),
    probe: (u, o) => probeChallenge(u, o),
    tcpAccepts,
    checkPortFree: checkLocalPortFree,
  });
  const result = supervisor.run(ac.signal);
  return {
    localPort,
    events,
    wakes,
    async waitFor(pred, timeoutMs, from = 0) {
      const deadline = Date.now() + timeoutMs;
      while (true) {
        const hit = events.slice(from).find(pred);
        if (hit) return hit;
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new Error(`no matching tunnel event in ${timeoutMs}ms: ${JSON.stringify(events)}`);
        }
        let timer: ReturnType<typeof setTimeout> | undefined;
        let wake!: () => void;
        await new Promise<void>((r) => {
          waiters.add(wake = r);
          timer = setTimeout(r, Math.min(left, 1000));
        });
        clearTimeout(timer);
        waiters.delete(wake);
      }
    },
    stop() {
      ac.abort();
      return result;
    },
  };
}
