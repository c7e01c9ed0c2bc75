/**
 * Ctrl-C while `clawgate tunnel up -d` waits for its background supervisor: the command exits
 * 130 (interrupted, as a terminal's SIGINT), not 5 (timeout), and leaves nothing behind: the
 * supervisor is stopped, its record removed, no ssh survives and the ledger is empty. The ssh
 * server here accepts the connection and never answers (a stalled sshd), so the wait lasts
 * until the signal arrives.
 */
import assert from "node:assert/strict";
import { baseEnv, CLAWGATE, runClawgate } from "./helpers/cli.ts";
import { freePort } from "./helpers/net.ts";
import { poll } from "./helpers/poll.ts";

interface Status {
  supervisors: Array<{ pid: number; alive: boolean; sshPid?: number }>;
  tunnels: Array<{ pid: number; sshAlive: boolean }>;
}

function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return false;
  }
}

Deno.test({
  name: "tunnel up -d: SIGINT while waiting exits 130 and leaves no supervisor, record or ssh",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  // A stalled ssh server: accepts, never sends its banner.
  const stalled = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const c of stalled) held.push(c);
  })().catch(() => {});
  const dir = await Deno.makeTempDir({ prefix: "clawgate-up-int-" });
  await Deno.writeTextFile(
    `${dir}/clawgate.json`,
    JSON.stringify({
      gateway: { port: freePort() },
      remotes: {
        lab: {
          transport: "ssh",
          sshTarget: `me@127.0.0.1:${stalled.addr.port}`,
          sshOptions: ["UserKnownHostsFile=/dev/null", "GlobalKnownHostsFile=/dev/null"],
        },
      },
    }),
  );
  const env = { CLAWGATE_STATE_DIR: dir };
  const status = async (): Promise<Status> =>
    JSON.parse((await runClawgate(["--json", "tunnel", "status"], { env })).stdout);
  const up = new Deno.Command(CLAWGATE, {
    args: ["tunnel", "up", "lab", "-d"],
    env: baseEnv(env),
    clearEnv: true,
    detached: true, // its own process group, as a terminal's foreground job
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = up.output();
  let supervisorPid = 0;
  try {
    // Wait until the background supervisor runs and its ssh is in the ledger.
    const st = await poll("the background supervisor and its ssh", async () => {
      const s = await status();
      return s.supervisors[0]?.alive && s.tunnels.some((t) => t.sshAlive) ? s : undefined;
    }, 60_000);
    supervisorPid = st.supervisors[0].pid;
    const sshPids = st.tunnels.map((t) => t.pid);
    Deno.kill(-up.pid, "SIGINT"); // Ctrl-C: the whole foreground process group
    const out = await output;
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 130, stderr);
    assert.match(stderr, /interrupted/i);
    assert.doesNotMatch(stderr, /did not come up/);
    assert.equal(alive(supervisorPid), false, "the supervisor is stopped");
    for (const pid of sshPids) assert.equal(alive(pid), false, `ssh ${pid} is gone`);
    const after = await status();
    assert.deepEqual([after.supervisors, after.tunnels], [[], []]);
  } finally {
    if (supervisorPid && alive(supervisorPid)) Deno.kill(supervisorPid, "SIGKILL");
    await output.catch(() => {});
    await runClawgate(["tunnel", "down", "--all"], { env });
    stalled.close();
    for (const c of held) c.close();
    await accepting;
    await Deno.remove(dir, { recursive: true });
  }
});
