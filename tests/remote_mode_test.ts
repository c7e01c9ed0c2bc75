/**
 * Remote over SSH as a mode: operator commands with `transport: "ssh"` reach a loopback-only
 * gateway behind a real sshd (tests/helpers/sshd.ts) without a hand-started tunnel. Every CLI
 * run goes through scripts/clawgate. Skipped loudly without sshd.
 * @module
 */
import assert from "node:assert/strict";
import {
  HAVE_SSHD,
  sshClientsTo,
  type SshdHandle,
  sshRemoteBlock,
  startSshd,
} from "./helpers/sshd.ts";
import { freePort } from "./helpers/net.ts";
import { baseEnv, CLAWGATE, runClawgate, startGatewayProcess } from "./helpers/cli.ts";

const opts = { ignore: !HAVE_SSHD, sanitizeResources: false, sanitizeOps: false };

/** A temp state dir with `clawgate.json` = `config`; returns the env for CLI runs. */
async function stateWith(config: unknown): Promise<{ dir: string; env: Record<string, string> }> {
  const dir = await Deno.makeTempDir({ prefix: "clawgate-remote-" });
  await Deno.writeTextFile(`${dir}/clawgate.json`, JSON.stringify(config, null, 2));
  return { dir, env: { CLAWGATE_STATE_DIR: dir } };
}

async function ledger(env: Record<string, string>): Promise<unknown[]> {
  const r = await runClawgate(["--json", "tunnel", "status"], { env });
  return JSON.parse(r.stdout).tunnels;
}

/** sshd + a gateway with its own token behind it. */
async function remoteGateway(token: string) {
  const sshd = await startSshd();
  const gw = await startGatewayProcess({ token });
  return {
    sshd,
    gw,
    block: (extra: Record<string, unknown> = {}) =>
      sshRemoteBlock(sshd, gw.port, { token, ...extra }),
    stop: async () => {
      await gw.stop();
      await sshd.stop();
    },
  };
}

Deno.test({
  name: "cold `health` with transport ssh opens a tunnel, works, leaves no ssh",
  ...opts,
}, async () => {
  const r = await remoteGateway("remote-mode-token-cold-0123456789");
  const { dir, env } = await stateWith({
    gateway: { mode: "remote", port: freePort(), remote: r.block() },
  });
  try {
    const health = await runClawgate(["health"], { env });
    assert.equal(health.code, 0, health.stderr);
    assert.match(health.stdout, /OK/);
    assert.match(
      health.stderr,
      new RegExp(`opening ssh tunnel to ${r.sshd.target}:${r.sshd.port}…`),
    );
    assert.deepEqual(await sshClientsTo(r.sshd.port), []);
    assert.deepEqual(await ledger(env), []);
  } finally {
    await r.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "wanted local port held by an unrelated listener → another port, still works",
  ...opts,
}, async () => {
  const r = await remoteGateway("remote-mode-token-busy-0123456789");
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const busy = (listener.addr as Deno.NetAddr).port;
  const { dir, env } = await stateWith({
    gateway: { mode: "remote", port: busy, remote: r.block() },
  });
  try {
    const health = await runClawgate(["--json", "health"], { env });
    assert.equal(health.code, 0, health.stderr);
    assert.equal(JSON.parse(health.stdout).ok, true);
    assert.match(health.stderr, new RegExp(`127\\.0\\.0\\.1:${busy} is in use`));
    assert.deepEqual(await sshClientsTo(r.sshd.port), []);
  } finally {
    listener.close();
    await r.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(
  { name: "two named remotes behind two sshd reach their own gateways", ...opts },
  async () => {
    const a = await remoteGateway("remote-mode-token-aaaa-0123456789");
    const b = await remoteGateway("remote-mode-token-bbbb-0123456789");
    const { dir, env } = await stateWith({
      gateway: { port: freePort() },
      remotes: { alpha: a.block(), beta: b.block() },
    });
    try {
      for (const [name, r] of [["alpha", a], ["beta", b]] as const) {
        const status = await runClawgate(["--json", "status", "--remote", name], { env });
        assert.equal(status.code, 0, status.stderr);
        const s = JSON.parse(status.stdout);
        assert.equal(s.gateway.reachable, true, status.stdout);
        assert.equal(s.gateway.remote.name, name);
        assert.equal(s.gateway.remote.sshTarget, `${r.sshd.target}:${r.sshd.port}`);
      }
      const viaEnv = await runClawgate(["health"], { env: { ...env, CLAWGATE_REMOTE: "beta" } });
      assert.equal(viaEnv.code, 0, viaEnv.stderr);
      const unknown = await runClawgate(["health", "--remote", "gamma"], { env });
      assert.equal(unknown.code, 2, unknown.stderr);
      assert.match(unknown.stderr, /Unknown remote "gamma".*alpha, beta/);
    } finally {
      await a.stop();
      await b.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
);

for (
  const c of [
    {
      name: "wrong key",
      block: (s: SshdHandle) => ({ sshIdentity: s.wrongKey }),
      re: /Permission denied/,
    },
    {
      name: "unknown host key",
      block: (s: SshdHandle) => ({
        sshOptions: [`UserKnownHostsFile=${s.wrongKnownHosts}`, "GlobalKnownHostsFile=/dev/null"],
      }),
      re: /[Hh]ost key/,
    },
  ]
) {
  Deno.test({
    name: `cold \`health\` with a ${c.name} → exit 7, one ssh attempt, no ssh left`,
    ...opts,
  }, async () => {
    const sshd = await startSshd();
    const { dir, env } = await stateWith({
      gateway: {
        mode: "remote",
        port: freePort(),
        remote: sshRemoteBlock(sshd, freePort(), { token: "x-token-0123456789", ...c.block(sshd) }),
      },
    });
    try {
      const health = await runClawgate(["--json", "health"], { env });
      assert.equal(health.code, 7, health.stderr);
      const err = JSON.parse(health.stdout).error;
      assert.equal(err.code, "auth");
      assert.match(err.message, c.re);
      assert.equal(err.details.spawns, 1);
      assert.deepEqual(await sshClientsTo(sshd.port), []);
    } finally {
      await sshd.stop();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test({
  name: "`status` with a dead remote and a live local gateway → remote down, non-zero",
  ...opts,
}, async () => {
  const sshd = await startSshd();
  const local = await startGatewayProcess({ token: "local-token-0123456789" });
  const { dir, env } = await stateWith({
    gateway: {
      mode: "remote",
      port: local.port,
      auth: { token: "local-token-0123456789" },
      // sshd is fine, but nothing listens on the remote port: the remote gateway is down.
      remote: sshRemoteBlock(sshd, freePort(), { token: "remote-token-0123456789" }),
    },
  });
  try {
    const status = await runClawgate(["--json", "status"], { env });
    assert.equal(status.code, 4, status.stderr);
    const s = JSON.parse(status.stdout);
    assert.equal(s.ok, false);
    assert.equal(s.gateway.reachable, false);
    assert.equal(s.gateway.remote.sshTarget, `${sshd.target}:${sshd.port}`);
    assert.match(s.gateway.error.message, /no gateway answered/);
    const human = await runClawgate(["status"], { env });
    assert.equal(human.code, 4);
    assert.match(human.stdout, /Reachable no/);
    assert.deepEqual(await sshClientsTo(sshd.port), []);
  } finally {
    await local.stop();
    await sshd.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

async function pidAlive(pid: number): Promise<boolean> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Polls `check` every 100 ms until it returns true or `timeoutMs` passes. */
async function eventually(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

Deno.test({
  name: "`tunnel up -d` outlives the CLI, commands reuse it, `tunnel down` leaves no ssh",
  ...opts,
}, async () => {
  const r = await remoteGateway("remote-mode-token-bg-0123456789");
  const { dir, env } = await stateWith({
    gateway: { port: freePort() },
    remotes: { lab: r.block() },
  });
  try {
    const up = await runClawgate(["tunnel", "up", "lab", "-d"], { env });
    assert.equal(up.code, 0, up.stderr);
    assert.match(up.stdout, /tunnel lab up: 127\.0\.0\.1:\d+/);
    const st = JSON.parse((await runClawgate(["--json", "tunnel", "status"], { env })).stdout);
    assert.equal(st.supervisors.length, 1, JSON.stringify(st));
    const sup = st.supervisors[0];
    assert.deepEqual([sup.remoteName, sup.state, sup.alive, sup.mode, sup.restarts], [
      "lab",
      "up",
      true,
      "background",
      0,
    ]);
    assert.ok(await pidAlive(sup.pid));
    assert.deepEqual(await sshClientsTo(r.sshd.port), [sup.sshPid]);

    // Reused: no "opening", the same ssh pid carries it, no second ssh appears.
    const status = await runClawgate(["--json", "status", "--remote", "lab"], { env });
    assert.equal(status.code, 0, status.stderr);
    assert.doesNotMatch(status.stderr, /opening ssh tunnel/);
    const remote = JSON.parse(status.stdout).gateway.remote;
    assert.deepEqual([remote.tunnel, remote.sshPid], ["reused", sup.sshPid]);
    const health = await runClawgate(["health", "--remote", "lab"], { env });
    assert.equal(health.code, 0, health.stderr);
    assert.doesNotMatch(health.stderr, /opening ssh tunnel/);
    assert.deepEqual(await sshClientsTo(r.sshd.port), [sup.sshPid]);

    const again = await runClawgate(["tunnel", "up", "lab", "-d"], { env });
    assert.equal(again.code, 1, again.stderr);
    assert.match(again.stderr, /already runs.*clawgate tunnel down lab/s);

    const down = await runClawgate(["tunnel", "down", "lab"], { env });
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /supervisor pid \d+ stopped/);
    assert.equal(await pidAlive(sup.pid), false);
    assert.deepEqual(await sshClientsTo(r.sshd.port), []);
    const after = JSON.parse((await runClawgate(["--json", "tunnel", "status"], { env })).stdout);
    assert.deepEqual([after.supervisors, after.tunnels], [[], []]);
  } finally {
    await runClawgate(["tunnel", "down", "--all"], { env });
    await r.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "a crashed background supervisor is reported and its ssh does not survive",
  ...opts,
}, async () => {
  const r = await remoteGateway("remote-mode-token-crash-0123456789");
  const { dir, env } = await stateWith({
    gateway: { mode: "remote", port: freePort(), remote: r.block() },
  });
  try {
    const up = await runClawgate(["tunnel", "up", "-d"], { env });
    assert.equal(up.code, 0, up.stderr);
    const sup = JSON.parse((await runClawgate(["--json", "tunnel", "status"], { env })).stdout)
      .supervisors[0];
    Deno.kill(sup.pid, "SIGKILL");
    await eventually(async () => !await pidAlive(sup.pid), 10_000, "the supervisor to die");
    const st = JSON.parse((await runClawgate(["--json", "tunnel", "status"], { env })).stdout);
    assert.equal(st.supervisors[0].state, "crashed");
    await eventually(
      async () => (await sshClientsTo(r.sshd.port)).length === 0,
      10_000,
      "ssh gone",
    );
    // The default remote works again: on demand, then with a fresh background supervisor.
    const health = await runClawgate(["health"], { env });
    assert.equal(health.code, 0, health.stderr);
    assert.match(health.stderr, /opening ssh tunnel/);
    const up2 = await runClawgate(["tunnel", "up", "-d"], { env });
    assert.equal(up2.code, 0, up2.stderr);
    const down = await runClawgate(["--json", "tunnel", "down"], { env });
    assert.equal(JSON.parse(down.stdout).down[0].how, "stopped");
    assert.deepEqual(await sshClientsTo(r.sshd.port), []);
  } finally {
    await runClawgate(["tunnel", "down", "--all"], { env });
    await r.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test(
  { name: "SIGINT during a cold command's tunnel → exit, no ssh left", ...opts },
  async () => {
    const sshd = await startSshd();
    // A "gateway" that accepts but never sends the challenge: the command waits with ssh up.
    const silent = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const held: Deno.Conn[] = [];
    const accepting = (async () => {
      for await (const c of silent) held.push(c);
    })().catch(() => {});
    const { dir, env } = await stateWith({
      gateway: {
        mode: "remote",
        port: freePort(),
        remote: sshRemoteBlock(sshd, (silent.addr as Deno.NetAddr).port, { token: "t-0123456789" }),
      },
    });
    const child = new Deno.Command(CLAWGATE, {
      args: ["health", "--timeout", "60000"],
      env: baseEnv(env),
      clearEnv: true,
      stdin: "null",
      stdout: "null",
      stderr: "null",
    }).spawn();
    try {
      await eventually(async () => (await sshClientsTo(sshd.port)).length > 0, 20_000, "ssh up");
      child.kill("SIGINT");
      const { code } = await child.status;
      assert.notEqual(code, 0);
      assert.deepEqual(await sshClientsTo(sshd.port), []);
      assert.deepEqual(await ledger(env), []);
    } finally {
      try {
        child.kill("SIGKILL");
      } catch { /* exited */ }
      await child.status;
      silent.close();
      for (const c of held) c.close();
      await accepting;
      await sshd.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
);
