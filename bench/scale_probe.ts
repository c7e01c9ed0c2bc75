/**
 * Process figures for bench/scale.ts: summed RSS and CPU ticks of a process tree (from /proc),
 * the pid behind a listening port, and the load average as printed in the reports.
 * @module
 */

/** The 1/5/15-minute load averages, one decimal each. */
export function loadAverage(): string {
  return Deno.loadavg().map((x) => x.toFixed(1)).join(" ");
}

/** Pids of `root` and all its descendants (from /proc). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(e.name)]);
    } catch { /* exited */ }
  }
  const out: number[] = [];
  for (const queue = [root]; queue.length;) {
    const pid = queue.pop()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Summed RSS (KiB) and CPU ticks (utime+stime, 100 per second) of a process tree. */
export interface TreeUsage {
  rssKiB: number;
  ticks: number;
}

/** Samples {@linkcode TreeUsage} of `root` and its descendants. */
export function treeUsage(root: number): TreeUsage {
  let rssKiB = 0;
  let ticks = 0;
  for (const pid of processTree(root)) {
    try {
      const status = Deno.readTextFileSync(`/proc/${pid}/status`);
      rssKiB += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(f[11]) + Number(f[12]);
    } catch { /* exited */ }
  }
  return { rssKiB, ticks };
}

/** CPU use between two samples taken `ms` apart, in % of one core (CLK_TCK 100 on Linux). */
export function cpuPercent(from: TreeUsage, to: TreeUsage, ms: number): number {
  return ((to.ticks - from.ticks) / 100) / (ms / 1000) * 100;
}

/**
 * The pid owning the listening socket on `port` (via `ss -ltnpH`).
 *
 * @throws {Error} When nothing listens there.
 */
export function listenerPid(port: number): number {
  const out = new Deno.Command("ss", { args: ["-ltnpH", `sport = :${port}`] }).outputSync();
  const m = /pid=(\d+)/.exec(new TextDecoder().decode(out.stdout));
  if (!m) throw new Error(`no process listens on port ${port}`);
  return Number(m[1]);
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
