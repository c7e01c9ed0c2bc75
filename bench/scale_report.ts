/**
 * The result of one bench/scale.ts run and its text report (one line per figure).
 * @module
 */
import type { RestartReport } from "./scale_restart.ts";

/** Figures of one run (`--json` prints this object). */
export interface ScaleResult {
  gateway: "clawgate" | "openclaw";
  /** The checkout the gateway ran from. */
  root: string;
  kind: string;
  n: number;
  established: number;
  /** All `n` established within `deadlineS`. */
  complete: boolean;
  deadlineS: number;
  failures: number;
  firstFailure?: string;
  establishMs: number;
  rssEmptyMiB: number;
  rssLoadedMiB: number;
  /** (RSS loaded − RSS empty) / established, 2 s after the last hello, in KiB. */
  rssPerSessionKiB: number;
  /** The same after the idle window. */
  rssPerSessionIdleKiB: number;
  /** Gateway CPU over the idle window, % of one core. */
  idleCpuPct: number;
  idleS: number;
  /** Event bytes a session received from hello until 2 s after the fleet was up. */
  eventBytesPerSession: number;
  eventFramesPerSession: number;
  /** A fresh CLI `health` (process start to exit), in ms; null when it failed. */
  healthEmptyMs: number | null;
  healthLoadedMs: number | null;
  /** Load average when the figures were taken. */
  load: string;
  /** Time to stop the gateway at the end, in ms. */
  stopMs?: number;
  restart?: RestartReport;
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);

/** The human report of one run. */
export function formatReport(r: ScaleResult): string {
  const lines = [
    `gateway: ${r.gateway} (${r.root})  kind: ${r.kind}  n: ${r.n}  established: ${r.established}` +
    `  failures: ${r.failures}${r.firstFailure ? ` (first: ${r.firstFailure})` : ""}`,
    r.complete
      ? `establish: ${r.establishMs} ms`
      : `establish: not established within ${r.deadlineS} s (${r.established} of ${r.n})`,
    `rss: ${r.rssEmptyMiB.toFixed(0)} MiB empty -> ${r.rssLoadedMiB.toFixed(0)} MiB; per session ` +
    `${r.rssPerSessionKiB.toFixed(1)} KiB; after the idle window ` +
    `${r.rssPerSessionIdleKiB.toFixed(1)} KiB per session`,
    `idle cpu: ${r.idleCpuPct.toFixed(1)} % of one core over ${r.idleS} s`,
    `event bytes per session: ${kib(r.eventBytesPerSession)} KiB ` +
    `(${r.eventFramesPerSession.toFixed(1)} frames; includes ticks)`,
    `fresh cli health: ${r.healthEmptyMs ?? "failed"} ms empty, ${
      r.healthLoadedMs ?? "failed"
    } ms loaded`,
    `load average: ${r.load}`,
  ];
  const s = r.restart;
  if (s) {
    lines.push(
      `restart: old gateway exited ${s.stopMs} ms after SIGTERM, new one ready at ${s.readyMs} ms`,
      s.allBackMs !== undefined
        ? `restart: all ${s.back} nodes back ${s.allBackMs} ms after SIGTERM`
        : `restart: not all back within ${r.deadlineS} s (${s.back} of ${r.established})`,
      `restart: node back after SIGTERM p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms; ` +
        `${s.failedAttempts} failed attempts on the way`,
      `restart: presence at the ui client ${s.presenceFrames} frames, ${
        kib(s.presenceBytes)
      } KiB ` +
        `(largest ${kib(s.presenceMaxFrameBytes)} KiB)`,
    );
  }
  if (r.stopMs !== undefined) lines.push(`gateway stop: ${r.stopMs} ms`);
  return lines.join("\n");
}
