/**
 * Local TCP port checks for the tunnel: is a port free on both 127.0.0.1 and ::1 (what ssh
 * needs; OpenClaw's `findPort()` checks both for the same reason), who holds it (best effort,
 * Linux `/proc` only), and does anything accept connections on it.
 * @module
 */

/** A process found holding a port. */
export interface PortHolder {
  pid: number;
  /** argv joined with spaces (may be empty when unreadable). */
  command: string;
}

/** Result of {@linkcode checkLocalPortFree}. */
export type PortCheck =
  | { free: true }
  | { free: false; address: string; holder?: PortHolder };

/**
 * Checks that `port` can be bound on 127.0.0.1 and on ::1 (a host without IPv6 counts as
 * free on ::1).
 *
 * @param port TCP port.
 * @returns `{free:true}` or which address is taken and, where `/proc` allows, by whom.
 */
export async function checkLocalPortFree(port: number): Promise<PortCheck> {
  for (const hostname of ["127.0.0.1", "::1"]) {
    try {
      const listener = Deno.listen({ hostname, port, transport: "tcp" });
      listener.close();
    } catch (err) {
      if (err instanceof Deno.errors.AddrInUse) {
        return { free: false, address: hostname, holder: await findPortHolder(port) };
      }
      // EADDRNOTAVAIL / no IPv6: nothing can hold it there either.
    }
  }
  return { free: true };
}

/**
 * Whether something accepts a TCP connection on 127.0.0.1:`port` within `timeoutMs`.
 *
 * @param port TCP port.
 * @param timeoutMs Connect deadline, in milliseconds. @default {1000}
 */
export async function tcpAccepts(port: number, timeoutMs = 1000): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const connecting = Deno.connect({ hostname: "127.0.0.1", port });
  const timeout = new Promise<null>((r) => (timer = setTimeout(() => r(null), timeoutMs)));
  try {
    const conn = await Promise.race([connecting, timeout]);
    if (conn) {
      conn.close();
      return true;
    }
    connecting.then((c) => c.close(), () => {});
    return false;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Finds the process listening on `port` via `/proc/net/tcp{,6}` (socket inode) and
 * `/proc/<pid>/fd` links. Returns undefined where `/proc` is missing or unreadable.
 */
export async function findPortHolder(port: number): Promise<PortHolder | undefined> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      // cols: sl local rem st tx:rx tr:tm retrnsmt uid timeout inode
      if (cols.length < 10 || cols[3] !== "0A") continue;
      if (cols[1].split(":")[1] === hexPort) inodes.add(cols[9]);
    }
  }
  if (inodes.size === 0) return undefined;
  try {
    for await (const entry of Deno.readDir("/proc")) {
      if (!/^\d+$/.test(entry.name)) continue;
      try {
        for await (const fd of Deno.readDir(`/proc/${entry.name}/fd`)) {
          const link = await Deno.readLink(`/proc/${entry.name}/fd/${fd.name}`).catch(() => "");
          const m = /^socket:\[(\d+)\]$/.exec(link);
          if (m && inodes.has(m[1])) {
            const pid = Number(entry.name);
            return { pid, command: (await readCmdline(pid)).join(" ") };
          }
        }
      } catch { /* not ours to read, or gone */ }
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Reads `/proc/<pid>/cmdline` as argv; `[]` when unreadable (no such pid, not Linux).
 */
export async function readCmdline(pid: number): Promise<string[]> {
  try {
    const raw = await Deno.readTextFile(`/proc/${pid}/cmdline`);
    const parts = raw.split("\0");
    if (parts.at(-1) === "") parts.pop();
    return parts;
  } catch {
    return [];
  }
}
