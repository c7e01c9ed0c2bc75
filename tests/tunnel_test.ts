/**
 * `clawgate tunnel` against a real OpenSSH server (tests/helpers/sshd.ts) and the real
 * `clawgate gateway run`, every CLI run through scripts/clawgate. Skipped loudly without sshd.
 * @module
 */
import assert from "node:assert/strict";
import { HAVE_SSHD, type SshdHandle, startSshd } from "./helpers/sshd.ts";
import { freePort } from "./helpers/net.ts";
import { startGatewayProcess } from "./helpers/cli.ts";

const ROOT = new URL("..", import.meta.url).pathname;
const CLI = `${ROOT}scripts/clawgate`;
const ignore = !HAVE_SSHD;
const TOKEN = "tunnel-test-token-0123456789";

interface StateLine {
  type: string;
  state: string;
  attempt: number;
  pid?: number;
  kind?: string;
  delayMs?: number;
  ts: number;
}

async function pidGone(pid: number): Promise<boolean> {
  try {
    const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
  } catch {
    return true;
  }
}

/** Waits until `pid` is gone; returns the elapsed milliseconds. */
async function waitGone(pid: number, timeoutMs: number): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (await pidGone(pid)) return performance.now() - start;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`pid ${pid} still alive after ${timeoutMs}ms`);
}

/** The real gateway as a subprocess on 127.0.0.1:port. */
/** Our real gateway (tests/helpers/cli.ts), optionally on a fixed port and state dir for restarts. */
async function startGateway(port = freePort(), stateDir?: string) {
  const gw = await startGatewayProcess({ port, token: TOKEN, stateDir });
  return { port: gw.port, dir: gw.stateDir, stop: async () => void await gw.stop() };
}

/** `clawgate tunnel` through `sshd` to a gateway on `gatewayPort`, on a fresh local port. */
function tunnelTo(sshd: SshdHandle, gatewayPort: number, stateDir: string) {
  return startTunnel(
    [...sshFlags(sshd), "--local-port", String(freePort()), "--remote-port", String(gatewayPort)],
    stateDir,
  );
}

function sshFlags(sshd: SshdHandle, opts: { key?: string; knownHosts?: string } = {}): string[] {
  return [
    sshd.target,
    "--ssh-port",
    String(sshd.port),
    "--identity",
    opts.key ?? sshd.clientKey,
    "--ssh-option",
    `UserKnownHostsFile=${opts.knownHosts ?? sshd.knownHosts}`,
    "--ssh-option",
    "GlobalKnownHostsFile=/dev/null",
  ];
}

/** A running `clawgate --json tunnel …` with its NDJSON state lines. */
function startTunnel(args: string[], stateDir: string) {
  const child = new Deno.Command("sh", {
    args: [CLI, "--json", "tunnel", ...args],
    env: { CLAWGATE_STATE_DIR: stateDir },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines: StateLine[] = [];
  let stderr = "";
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  const readOut = (async () => {
    let buf = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      buf += chunk;
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        try {
          lines.push(JSON.parse(line));
        } catch { /* not JSON */ }
        wake();
      }
    }
    wake();
  })();
  const readErr = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) stderr += chunk;
  })();
  return {
    child,
    lines,
    get stderr() {
      return stderr;
    },
    /** Waits for a state line (after index `from`) matching `pred`. */
    async waitFor(
      pred: (l: StateLine) => boolean,
      timeoutMs: number,
      from = 0,
    ): Promise<StateLine> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const hit = lines.slice(from).find(pred);
        if (hit) return hit;
        let timer: ReturnType<typeof setTimeout> | undefined;
        await new Promise<void>((r) => {
          waiters.push(r);
          timer = setTimeout(r, 100);
        });
        clearTimeout(timer);
      }
      throw new Error(
        `timed out waiting for a state line; got ${JSON.stringify(lines)}\n${stderr}`,
      );
    },
    async finish(): Promise<number> {
      const { code } = await child.status;
      await readOut;
      await readErr;
      return code;
    },
    kill(sig: Deno.Signal = "SIGTERM") {
      try {
        child.kill(sig);
      } catch { /* gone */ }
    },
  };
}

async function withEnv(fn: (sshd: SshdHandle, stateDir: string) => Promise<void>) {
  const sshd = await startSshd();
  const stateDir = await Deno.makeTempDir({ prefix: "clawgate-tunnel-" });
  try {
    await fn(sshd, stateDir);
  } finally {
    await sshd.stop();
    await Deno.remove(stateDir, { recursive: true }).catch(() => {});
  }
}

async function cli(args: string[], stateDir: string) {
  const out = await new Deno.Command("sh", {
    args: [CLI, ...args],
    env: { CLAWGATE_STATE_DIR: stateDir },
    stdin: "null",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test({
  name: "tunnel --once and a foreground tunnel carry `health` to the real gateway",
  ignore,
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  await withEnv(async (sshd, stateDir) => {
    const gw = await startGateway();
    try {
      const local = freePort();
      const once = await cli([
        "tunnel",
        ...sshFlags(sshd),
        "--local-port",
        String(local),
        "--remote-port",
        String(gw.port),
        "--once",
        "--token",
        TOKEN,
      ], stateDir);
      assert.equal(once.code, 0, once.stderr);
      assert.match(once.stdout, /tunnel ok: .* gateway answered health/);
      const t = startTunnel([
        ...sshFlags(sshd),
        "--local-port",
        String(local),
        "--remote-port",
        String(gw.port),
      ], stateDir);
      try {
        await t.waitFor((l) => l.state === "up", 20_000);
        const health = await cli(
          ["health", "--url", `ws://127.0.0.1:${local}`, "--token", TOKEN],
          stateDir,
        );
        assert.equal(health.code, 0, health.stderr);
        const status = await cli(["--json", "tunnel", "status"], stateDir);
        const st = JSON.parse(status.stdout).tunnels[0];
        assert.equal(st.sshAlive, true, JSON.stringify(st));
        const summary = await cli(["status"], stateDir);
        assert.match(
          summary.stdout + summary.stderr,
          new RegExp(`127\\.0\\.0\\.1:${local} → ${sshd.target}`),
        );
      } finally {
        t.kill("SIGINT");
        assert.equal(await t.finish(), 0, t.stderr);
      }
    } finally {
      await gw.stop();
    }
  });
});

const opts = { ignore, sanitizeResources: false, sanitizeOps: false };

Deno.test({
  name: "sshd session killed: back up within one backoff step after sshd accepts again",
  ...opts,
}, async () => {
  await withEnv(async (sshd, stateDir) => {
    const gw = await startGateway();
    const local = freePort();
    const t = startTunnel([
      ...sshFlags(sshd),
      "--local-port",
      String(local),
      "--remote-port",
      String(gw.port),
      "--probe-interval-ms",
      "500",
    ], stateDir);
    try {
      const up1 = await t.waitFor((l) => l.state === "up", 20_000);
      await sshd.kill(); // listener + session: the client sees the connection drop
      await t.waitFor((l) => l.state === "backoff", 20_000);
      await new Promise((r) => setTimeout(r, 2000)); // sshd down for a while: some refused attempts
      const mark = t.lines.length;
      const pending = t.lines.filter((l) => l.state === "backoff").at(-1)!;
      const restartedAt = Date.now();
      await sshd.restart();
      const up2 = await t.waitFor((l) => l.state === "up", 40_000, mark);
      const elapsedMs = up2.ts - restartedAt;
      const afterRestart = t.lines.slice(mark);
      const backoffs = afterRestart.filter((l) => l.state === "backoff");
      // deno-lint-ignore no-console -- measurements are part of the test output
      console.error(
        `[measure] sshd back → up: ${elapsedMs}ms (backoff pending at restart: ${pending.delayMs}ms, ` +
          `started ${
            restartedAt - pending.ts
          }ms before; backoffs after restart: ${backoffs.length})`,
      );
      // At most one backoff (the one pending when sshd came back) before the first successful spawn.
      assert.ok(backoffs.length <= 1, JSON.stringify(afterRestart));
      if (backoffs.length === 0) assert.ok(elapsedMs <= pending.delayMs! + 3000, `${elapsedMs}ms`);
      assert.ok(elapsedMs < 35_000);
      assert.notEqual(up2.pid, up1.pid);
    } finally {
      t.kill("SIGINT");
      await t.finish();
      await gw.stop();
    }
  });
});

for (
  const c of [
    { name: "wrong key", kind: "auth", flags: (s: SshdHandle) => sshFlags(s, { key: s.wrongKey }) },
    {
      name: "host-key mismatch",
      kind: "host-key",
      flags: (s: SshdHandle) => sshFlags(s, { knownHosts: s.wrongKnownHosts }),
    },
  ]
) {
  Deno.test({ name: `${c.name} → fatal, exit 7, one spawn only`, ...opts }, async () => {
    await withEnv(async (sshd, stateDir) => {
      const t = startTunnel([
        ...c.flags(sshd),
        "--local-port",
        String(freePort()),
        "--remote-port",
        "1",
      ], stateDir);
      const code = await t.finish();
      assert.equal(code, 7, t.stderr);
      assert.equal(
        t.lines.filter((l) => l.state === "connecting").length,
        1,
        JSON.stringify(t.lines),
      );
      assert.equal(t.lines.at(-1)?.state, "failed");
      assert.equal(t.lines.at(-1)?.kind, c.kind);
    });
  });
}

Deno.test(
  { name: "local port busy → clear error naming the port, no ssh spawned", ...opts },
  async () => {
    await withEnv(async (sshd, stateDir) => {
      const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
      const busy = (listener.addr as Deno.NetAddr).port;
      try {
        const r = await cli([
          "tunnel",
          ...sshFlags(sshd),
          "--local-port",
          String(busy),
          "--remote-port",
          "1",
        ], stateDir);
        assert.equal(r.code, 4, r.stderr);
        assert.match(
          r.stderr,
          new RegExp(`Local port ${busy} is already in use on 127\\.0\\.0\\.1`),
        );
        assert.match(r.stderr, /--local-port/);
        assert.doesNotMatch(r.stderr, /connecting/);
      } finally {
        listener.close();
      }
    });
  },
);

Deno.test({
  name: "gateway stopped behind a live tunnel → gateway-down, then up again, same ssh pid",
  ...opts,
}, async () => {
  await withEnv(async (sshd, stateDir) => {
    let gw = await startGateway();
    const gwPort = gw.port;
    const local = freePort();
    const t = startTunnel([
      ...sshFlags(sshd),
      "--local-port",
      String(local),
      "--remote-port",
      String(gwPort),
      "--probe-interval-ms",
      "300",
    ], stateDir);
    try {
      const up = await t.waitFor((l) => l.state === "up", 20_000);
      await gw.stop();
      const down = await t.waitFor((l) => l.state === "gateway-down", 10_000);
      assert.equal(down.pid, up.pid);
      gw = await startGateway(gwPort, gw.dir);
      const mark = t.lines.indexOf(down);
      const up2 = await t.waitFor((l) => l.state === "up", 10_000, mark);
      assert.equal(up2.pid, up.pid);
      assert.equal(
        t.lines.filter((l) => l.state === "connecting").length,
        1,
        "ssh was never restarted",
      );
    } finally {
      t.kill("SIGINT");
      await t.finish();
      await gw.stop();
    }
  });
});

Deno.test(
  { name: "clawgate SIGKILLed → its ssh is gone (parent-death signal)", ...opts },
  async () => {
    await withEnv(async (sshd, stateDir) => {
      const gw = await startGateway();
      const t = tunnelTo(sshd, gw.port, stateDir);
      try {
        const up = await t.waitFor((l) => l.state === "up", 20_000);
        t.kill("SIGKILL");
        const goneMs = await waitGone(up.pid!, 5000);
        // deno-lint-ignore no-console -- measurements are part of the test output
        console.error(`[measure] clawgate SIGKILL → ssh gone: ${goneMs.toFixed(1)}ms`);
        const stop = await cli(["--json", "tunnel", "stop"], stateDir);
        assert.equal(stop.code, 0, stop.stderr);
      } finally {
        t.kill("SIGKILL");
        await t.finish();
        await gw.stop();
      }
    });
  },
);

Deno.test({ name: "SIGINT → clean exit 0, ssh gone, ledger empty", ...opts }, async () => {
  await withEnv(async (sshd, stateDir) => {
    const gw = await startGateway();
    const t = tunnelTo(sshd, gw.port, stateDir);
    try {
      const up = await t.waitFor((l) => l.state === "up", 20_000);
      t.kill("SIGINT");
      assert.equal(await t.finish(), 0, t.stderr);
      assert.equal(t.lines.at(-1)?.state, "stopped");
      await waitGone(up.pid!, 1000);
      const status = await cli(["--json", "tunnel", "status"], stateDir);
      assert.deepEqual(JSON.parse(status.stdout).tunnels, []);
    } finally {
      t.kill("SIGKILL");
      await t.finish();
      await gw.stop();
    }
  });
});
