/**
 * A real systemd user manager for service tests: `systemd --user` started in a private mount
 * namespace (`unshare -m`) with a tmpfs on /run/systemd holding `system/`, because systemd
 * refuses a user instance when the machine was not booted with systemd (PID 1 here is a VM
 * init). `systemctl --user` reaches it through `$XDG_RUNTIME_DIR/systemd/private`, with HOME
 * and XDG_RUNTIME_DIR pointing into a temp dir. Needs root (or CAP_SYS_ADMIN) and
 * /usr/lib/systemd/systemd; {@linkcode startUserSystemd} returns the reason when it cannot run.
 * @module
 */
import { denoCommandRunner } from "../../src/service/run_command.ts";

/** A running user manager. */
export interface UserSystemd {
  home: string;
  runtimeDir: string;
  /** Env for clawgate / systemctl subprocesses talking to this manager. */
  env: Record<string, string>;
  /** Runs `systemctl --user args…` against it. */
  systemctl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Stops every unit and the manager; removes the temp dir. */
  stop(): Promise<void>;
}

const SYSTEMD = "/usr/lib/systemd/systemd";

/**
 * Starts the manager and waits (≤ 20 s) until it answers.
 *
 * @returns The manager, or a string saying why none can run here.
 */
export async function startUserSystemd(): Promise<UserSystemd | string> {
  if (Deno.uid() !== 0) return "needs root for unshare -m";
  try {
    await Deno.stat(SYSTEMD);
  } catch {
    return `${SYSTEMD} missing (apt-get install systemd)`;
  }
  const base = await Deno.makeTempDir({ prefix: "clawgate-sd-" });
  const home = `${base}/home`;
  const runtimeDir = `${base}/run`;
  await Deno.mkdir(home, { recursive: true });
  await Deno.mkdir(runtimeDir, { mode: 0o700 });
  const env = { HOME: home, XDG_RUNTIME_DIR: runtimeDir, USER: "root" };
  const child = new Deno.Command("unshare", {
    args: [
      "-m",
      "--propagation",
      "private",
      "sh",
      "-c",
      `mount -t tmpfs tmpfs /run/systemd 2>/dev/null || { mkdir -p /run/systemd && mount -t tmpfs tmpfs /run/systemd; }; mkdir -p /run/systemd/system && exec ${SYSTEMD} --user`,
    ],
    env,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let log = "";
  const pump = (async () => {
    for await (const c of child.stderr.pipeThrough(new TextDecoderStream())) log += c;
  })();
  let exited = false;
  const status = child.status.then(async (s) => {
    exited = true;
    await pump;
    return s;
  });
  const systemctl = (args: string[]) =>
    denoCommandRunner("systemctl", ["--user", ...args], { env });
  const deadline = Date.now() + 20_000;
  while (true) {
    if (exited) {
      await Deno.remove(base, { recursive: true }).catch(() => {});
      return `systemd --user exited: ${log.trim() || (await status).code}`;
    }
    const r = await systemctl(["show", "-p", "Version", "--value"]).catch(() => undefined);
    if (r?.code === 0) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await status;
      await Deno.remove(base, { recursive: true }).catch(() => {});
      return `systemd --user did not answer within 20s: ${log.trim()}`;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    home,
    runtimeDir,
    env,
    systemctl,
    async stop() {
      // SIGTERM makes a user manager stop its units and exit.
      try {
        child.kill("SIGTERM");
      } catch { /* gone */ }
      const t = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }, 30_000);
      await status;
      clearTimeout(t);
      await Deno.remove(base, { recursive: true }).catch(() => {});
    },
  };
}
