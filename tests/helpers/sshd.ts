/**
 * A real OpenSSH server for tunnel tests (tunnel-and-deno.md A4): `/usr/sbin/sshd -D -e -f
 * <cfg>` on a free 127.0.0.1 port with a generated host key, a client key in
 * authorized_keys, a matching known_hosts file, and a second "wrong" client key and
 * known_hosts for the refusal cases. Tests skip (loudly) when sshd is missing.
 * @module
 */
import { freePort } from "./net.ts";

/** Absolute path of sshd (it must be run by absolute path). */
export const SSHD_PATH = "/usr/sbin/sshd";

/** Whether the real-sshd tests can run here. */
export const HAVE_SSHD: boolean = (() => {
  try {
    Deno.statSync(SSHD_PATH);
    return true;
  } catch {
    return false;
  }
})();

if (!HAVE_SSHD) {
  // deno-lint-ignore no-console -- a skipped suite must be loud
  console.error(
    `!!! ${SSHD_PATH} not found: real-sshd tunnel tests are SKIPPED (install openssh-server)`,
  );
}

/** A running sshd and the client-side files to reach it. */
export interface SshdHandle {
  port: number;
  dir: string;
  /** `root@127.0.0.1` (or the current user). */
  target: string;
  clientKey: string;
  /** A key not in authorized_keys. */
  wrongKey: string;
  knownHosts: string;
  /** A known_hosts file naming a different host key for this server. */
  wrongKnownHosts: string;
  /** Listener pid. */
  pid: number;
  /** Kills the listener and every session it forked (so clients see the connection drop). */
  kill(): Promise<void>;
  /**
   * SIGSTOPs every session process (all descendants of the listener), as a laptop sleep or a
   * network change leaves the link: connected at TCP level, but nothing answers.
   * @returns The stopped pids (empty when no session runs).
   */
  stallSessions(): Promise<number[]>;
  /** SIGCONTs every session process stopped by {@linkcode SshdHandle.stallSessions}. */
  resumeSessions(): Promise<void>;
  /** Starts sshd again on the same port with the same keys. */
  restart(): Promise<void>;
  /** Kills everything and removes the temp dir. */
  stop(): Promise<void>;
}

async function run(cmd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** Pids whose parent is `ppid` (from /proc/<pid>/stat). */
export async function childrenOf(ppid: number): Promise<number[]> {
  const out: number[] = [];
  for await (const e of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = await Deno.readTextFile(`/proc/${e.name}/stat`);
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[1]) === ppid) out.push(Number(e.name));
    } catch { /* gone */ }
  }
  return out;
}

/** Every descendant of `pid` (children first, then theirs). */
export async function descendantsOf(pid: number): Promise<number[]> {
  const out: number[] = [];
  let level = [pid];
  for (let depth = 0; depth < 8 && level.length; depth++) {
    const next: number[] = [];
    for (const p of level) next.push(...await childrenOf(p));
    out.push(...next);
    level = next;
  }
  return out;
}

function signalAll(pids: number[], signal: Deno.Signal): void {
  for (const pid of pids) {
    try {
      Deno.kill(pid, signal);
    } catch { /* gone */ }
  }
}

/**
 * Generates keys and config in a temp dir and starts sshd; resolves once it accepts TCP.
 *
 * @throws {Error} When ssh-keygen or sshd fails (its stderr is in the message).
 */
export async function startSshd(): Promise<SshdHandle> {
  const dir = await Deno.makeTempDir({ prefix: "clawgate-sshd-" });
  const port = freePort();
  await Deno.mkdir("/run/sshd", { recursive: true, mode: 0o755 }).catch(() => {});
  for (const k of ["host_ed25519", "other_host_ed25519", "client_ed25519", "wrong_ed25519"]) {
    await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", `${dir}/${k}`]);
  }
  await Deno.copyFile(`${dir}/client_ed25519.pub`, `${dir}/authorized_keys`);
  const hostLine = async (f: string) =>
    `[127.0.0.1]:${port} ${(await Deno.readTextFile(f)).trim().split(" ").slice(0, 2).join(" ")}\n`;
  await Deno.writeTextFile(`${dir}/known_hosts`, await hostLine(`${dir}/host_ed25519.pub`));
  await Deno.writeTextFile(
    `${dir}/wrong_known_hosts`,
    await hostLine(`${dir}/other_host_ed25519.pub`),
  );
  const user = Deno.env.get("USER") ?? (Deno.uid() === 0 ? "root" : "root");
  await Deno.writeTextFile(
    `${dir}/sshd_config`,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      "AddressFamily inet",
      `HostKey ${dir}/host_ed25519`,
      `PidFile ${dir}/sshd.pid`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      "StrictModes no",
      "UsePAM no",
      "PubkeyAuthentication yes",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PermitRootLogin prohibit-password",
      "AllowTcpForwarding yes",
      "X11Forwarding no",
      "PrintMotd no",
      "ClientAliveInterval 5",
      "ClientAliveCountMax 2",
      "MaxStartups 100",
      "LogLevel VERBOSE",
      "",
    ].join("\n"),
  );
  await run(SSHD_PATH, ["-t", "-f", `${dir}/sshd_config`]);

  let child: Deno.ChildProcess | undefined;
  const launch = async () => {
    child = new Deno.Command(SSHD_PATH, {
      args: ["-D", "-e", "-f", `${dir}/sshd_config`],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).spawn();
    // Drain sshd's log so it never blocks on a full pipe; keep it for debugging.
    const log = await Deno.open(`${dir}/sshd.log`, { append: true, create: true, write: true });
    child.stderr.pipeTo(log.writable).catch(() => {});
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      try {
        (await Deno.connect({ hostname: "127.0.0.1", port })).close();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error(`sshd did not listen on 127.0.0.1:${port}; see ${dir}/sshd.log`);
  };
  const stalled: number[] = [];
  const killAll = async () => {
    if (!child) return;
    const c = child;
    child = undefined;
    const sessions = await descendantsOf(c.pid);
    signalAll(sessions, "SIGKILL");
    signalAll(stalled.splice(0), "SIGKILL");
    try {
      c.kill("SIGKILL");
    } catch { /* gone */ }
    await c.status;
  };
  await launch();
  return {
    port,
    dir,
    target: `${user}@127.0.0.1`,
    clientKey: `${dir}/client_ed25519`,
    wrongKey: `${dir}/wrong_ed25519`,
    knownHosts: `${dir}/known_hosts`,
    wrongKnownHosts: `${dir}/wrong_known_hosts`,
    get pid() {
      return child?.pid ?? -1;
    },
    kill: killAll,
    stallSessions: async () => {
      const pids = child ? await descendantsOf(child.pid) : [];
      signalAll(pids, "SIGSTOP");
      stalled.push(...pids);
      return pids;
    },
    resumeSessions: () => {
      signalAll(stalled.splice(0), "SIGCONT");
      return Promise.resolve();
    },
    restart: launch,
    stop: async () => {
      await killAll();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * Pids of every ssh client (anywhere on the machine, any parent) whose argv names `-p <port>`:
 * the `pgrep`-style check that no tunnel to a test sshd is left behind.
 */
export async function sshClientsTo(sshdPort: number): Promise<number[]> {
  const out: number[] = [];
  for await (const e of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const argv = (await Deno.readTextFile(`/proc/${e.name}/cmdline`)).split("\0");
      const sshAt = argv.findIndex((a) => a.split("/").pop() === "ssh");
      if (sshAt < 0) continue;
      const p = argv.indexOf("-p", sshAt);
      if (p > 0 && argv[p + 1] === String(sshdPort)) {
        const stat = await Deno.readTextFile(`/proc/${e.name}/stat`);
        if (stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z") out.push(Number(e.name));
      }
    } catch { /* gone or unreadable */ }
  }
  return out;
}

/**
 * A `gateway.remote` / `remotes.NAME` block reaching a gateway on `gatewayPort` through `sshd`
 * (transport ssh, the test keys and known_hosts).
 */
export function sshRemoteBlock(
  sshd: SshdHandle,
  gatewayPort: number,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    transport: "ssh",
    sshTarget: `${sshd.target}:${sshd.port}`,
    sshIdentity: sshd.clientKey,
    remotePort: gatewayPort,
    sshOptions: [`UserKnownHostsFile=${sshd.knownHosts}`, "GlobalKnownHostsFile=/dev/null"],
    ...extra,
  };
}

/** `node connect` flags reaching `gatewayPort` through `sshd`. */
export function nodeSshArgs(
  sshd: SshdHandle,
  gatewayPort: number,
  o: { key?: string; knownHosts?: string } = {},
): string[] {
  return [
    "--ssh",
    `${sshd.target}:${sshd.port}`,
    "--ssh-identity",
    o.key ?? sshd.clientKey,
    "--ssh-option",
    `UserKnownHostsFile=${o.knownHosts ?? sshd.knownHosts}`,
    "--ssh-option",
    "GlobalKnownHostsFile=/dev/null",
    "--remote-port",
    String(gatewayPort),
  ];
}
