/**
 * `clawgate tunnel` against a real OpenSSH server (tests/helpers/sshd.ts) and the real
 * `clawgate gateway run`, every CLI run through scripts/clawgate. Skipped loudly without sshd.
 * @module
 */
import assert from "node:assert/strict";
import { HAVE_SSHD, type SshdHandle, startSshd } from "./helpers/sshd.ts";
import { freePort } from "./helpers/net.ts";

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
async function startGateway(port = freePort(), stateDir?: string) {
  const dir = stateDir ?? await Deno.makeTempDir({ prefix: "clawgate-gw-" });
  const child = new Deno.Command("sh", {
    args: [CLI, "gateway", "run", "--port", String(port), "--token", TOKEN],
    env: { CLAWGATE_STATE_DIR: dir },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      await res.body?.cancel();
      if (res.ok) break;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    dir,
    async stop() {
      try {
        child.kill("SIGTERM");
      } catch { /* gone */ }
      await child.status;
    },
  };
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
        if (!st.sshAlive) {
          console.error(
            st,
            await Deno.readTextFile(`/proc/${st.pid}/cmdline`).catch((e) => String(e)),
            await Deno.readTextFile(`/proc/${st.pid}/stat`).catch((e) => String(e)),
          );
        }
        assert.equal(st.sshAlive, true);
      } finally {
        t.kill("SIGINT");
        assert.equal(await t.finish(), 0, t.stderr);
      }
    } finally {
      await gw.stop();
    }
  });
});
