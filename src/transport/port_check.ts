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
 * Asks the kernel for a free port on 127.0.0.1 (bind port 0) that is also free on ::1, for a
 * tunnel whose wanted local port is taken (OpenClaw's `findPort()` does the same). Another
 * process may still take it before ssh binds it; ssh then fails with `port-busy`.
 *
 * @param attempts How many kernel-chosen ports to try. @default {20}
 * @returns A port free on both addresses.
 * @throws {Error} When no such port was found within `attempts`.
 */
export async function pickFreeLocalPort(attempts = 20): Promise<number> {
  for (let i = 0; i < attempts; i++) {
    const listener = Deno.listen({ hostname: "127.0.0.1", port: 0, transport: "tcp" });
    const port = (listener.addr as Deno.NetAddr).port;
    listener.close();
    if ((await checkLocalPortFree(port)).free) return port;
  }
  throw new Error(`Cannot find a free local port on 127.0.0.1 and ::1 after ${attempts} tries`);
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
  try {
    return await findPortHolderProc(port);
  } catch {
    return await findPortHolderSs(port);
  }
}

/** `ss -Hltnp sport = :PORT` → `users:(("name",pid=N,fd=M))`; for runs without `/proc` access. */
async function findPortHolderSs(port: number): Promise<PortHolder | undefined> {
  const out = await runText("ss", ["-Hltnp", `sport = :${port}`]);
  const m = out && /pid=(\d+)/.exec(out);
  if (!m) return undefined;
  const pid = Number(m[1]);
  return { pid, command: (await readCmdline(pid)).join(" ") };
}

async function findPortHolderProc(port: number): Promise<PortHolder | undefined> {
  const inodes = new Set<string>();
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = await Deno.readTextFile(file);
    } catch (err) {
      if (err instanceof Deno.errors.NotCapable) throw err; // Deno guards /proc without -A
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
 * Reads a process's argv from `/proc/<pid>/cmdline`, falling back to `ps -o args=` (Deno
 * refuses `/proc/<pid>` reads without `--allow-all`; ps also covers macOS, where the split on
 * spaces is approximate). `[]` when the process does not exist or nothing can be read.
 */
export async function readCmdline(pid: number): Promise<string[]> {
  try {
    const raw = await Deno.readTextFile(`/proc/${pid}/cmdline`);
    const parts = raw.split("\0");
    if (parts.at(-1) === "") parts.pop();
    return parts;
  } catch {
    const out = await runText("ps", ["-o", "args=", "-p", String(pid)]);
    return out?.trim() ? out.trim().split(/\s+/) : [];
  }
}

/**
 * The process state letter (`R`, `S`, `Z`, …) from `/proc/<pid>/stat` or `ps -o stat=`;
 * undefined when the process does not exist.
 */
export async function readProcessState(pid: number): Promise<string | undefined> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    const out = (await runText("ps", ["-o", "stat=", "-p", String(pid)]))?.trim();
    return out ? out[0] : undefined;
  }
}

async function runText(cmd: string, args: string[]): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(cmd, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "null",
    })
      .output();
    return new TextDecoder().decode(out.stdout);
  } catch {
    return undefined;
  }
}
