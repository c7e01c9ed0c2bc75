// deno-lint-ignore-file no-console -- the skip notice is part of the test output
/**
 * End-to-end smoke test of the file a user gets: `dist/clawgate` (built by `deno task dist`
 * when missing or stale, either kind) is copied ALONE into an empty directory and every step
 * runs through that copy under `env -i HOME=<tmp> PATH=/usr/bin:/bin`: first runs (offline in
 * a network namespace where `unshare -rn` works; two at once), `gateway run` → `health` →
 * `node connect` → `nodes approve` → `nodes invoke -- echo hi` → SIGINT → exit 0 for both.
 * @module
 */
import assert from "node:assert/strict";
import { ensureDist } from "../scripts/dist_inputs.ts";
import { freePort } from "./helpers/net.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const DIST = `${ROOT}/dist/clawgate`;
const dec = new TextDecoder();

/** argv that runs `bin args` with nothing but HOME and a minimal PATH in its environment. */
function minimalEnv(home: string, bin: string, args: string[]): [string, string[]] {
  return ["/usr/bin/env", ["-i", `HOME=${home}`, "PATH=/usr/bin:/bin", bin, ...args]];
}

async function runTo(
  home: string,
  bin: string,
  args: string[],
  wrap: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [cmd, argv] = minimalEnv(home, bin, args);
  const child = new Deno.Command(wrap[0] ?? cmd, {
    args: wrap.length ? [...wrap.slice(1), cmd, ...argv] : argv,
    cwd: home,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
  const out = await child.output();
  clearTimeout(timer);
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A long-running process through the copied file, with its output collected. */
function spawnLong(home: string, bin: string, args: string[]) {
  const [cmd, argv] = minimalEnv(home, bin, args);
  const child = new Deno.Command(cmd, {
    args: argv,
    cwd: home,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const pumps = [child.stdout, child.stderr].map(async (s) => {
    for await (const c of s.pipeThrough(new TextDecoderStream())) text += c;
  });
  let exited = false;
  const status = child.status.then(async (s) => {
    await Promise.all(pumps);
    exited = true;
    return s;
  });
  return {
    text: () => text,
    status,
    signal(sig: Deno.Signal) {
      if (!exited) child.kill(sig);
    },
    async waitFor(pattern: RegExp, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(text)) {
        if (exited) throw new Error(`exited before ${pattern}:\n${text}`);
        if (Date.now() > deadline) {
          throw new Error(`no ${pattern} within ${timeoutMs} ms:\n${text}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    /** Signals and waits for the exit code; SIGKILL after 20 s so the test never hangs. */
    async stop(sig: Deno.Signal): Promise<number> {
      this.signal(sig);
      const t = setTimeout(() => this.signal("SIGKILL"), 20_000);
      const s = await status;
      clearTimeout(t);
      return s.code;
    },
  };
}

function unshareWorks(): boolean {
  try {
    return new Deno.Command("unshare", { args: ["-rn", "true"], stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
}

Deno.test("dist/clawgate copied alone: first runs, gateway, health, node, approve, invoke, Ctrl-C", async () => {
  const kind = await ensureDist(ROOT);
  const expectedKind = kind === "compiled" ? "compiled" : "single-file self-extracting";
  const home = await Deno.makeTempDir({ prefix: "clawgate-dist-smoke-" });
  try {
    Deno.mkdirSync(`${home}/bin`);
    const bin = `${home}/bin/clawgate`;
    Deno.copyFileSync(DIST, bin);
    assert.deepEqual([...Deno.readDirSync(`${home}/bin`)].map((e) => e.name), ["clawgate"]);
    const version = new RegExp(
      `^clawgate \\d+\\.\\d+\\.\\d+ \\(deno [\\d.]+, ${expectedKind}\\)\n$`,
    );

    // First run with no network at all (loopback down, no DNS) and an empty DENO_DIR.
    if (unshareWorks()) {
      const offlineHome = await Deno.makeTempDir({ prefix: "clawgate-dist-offline-" });
      try {
        const offline = await runTo(offlineHome, bin, ["--version"], ["unshare", "-rn"]);
        assert.equal(offline.code, 0, offline.stderr);
        assert.match(offline.stdout, version);
      } finally {
        await Deno.remove(offlineHome, { recursive: true }).catch(() => {});
      }
    } else {
      console.error(
        "dist smoke: `unshare -rn` unavailable here, skipping the no-network first run",
      );
    }

    // Two first runs at once on the same cache dir: both work, one unpacked copy is left.
    const [a, b] = await Promise.all([
      runTo(home, bin, ["--version"]),
      runTo(home, bin, ["--version"]),
    ]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    assert.match(a.stdout, version);
    assert.equal(a.stdout, b.stdout);
    if (kind !== "compiled") {
      const cached = [...Deno.readDirSync(`${home}/.cache/clawgate`)].map((e) => e.name);
      assert.equal(cached.length, 1, `expected one unpacked dir, got ${cached}`);
      const unpacked = `${home}/.cache/clawgate/${cached[0]}`;
      assert.equal(Deno.statSync(unpacked).mode! & 0o222, 0, "unpacked dir must be read-only");
      assert.equal(Deno.statSync(`${unpacked}/deno`).mode! & 0o222, 0);
    }

    if (kind !== "compiled") {
      // A damaged copy is refused before anything is unpacked or run.
      const bad = `${home}/damaged/clawgate`;
      Deno.mkdirSync(`${home}/damaged`);
      Deno.copyFileSync(DIST, bad);
      const f = Deno.openSync(bad, { read: true, write: true });
      const byte = new Uint8Array(1);
      f.seekSync(-1000, Deno.SeekMode.End);
      f.readSync(byte);
      f.seekSync(-1000, Deno.SeekMode.End);
      f.writeSync(new Uint8Array([byte[0] ^ 0xff]));
      f.close();
      let damaged = await runTo(`${home}/damaged`, bad, ["--version"]);
      // A process another test forks in parallel can hold our just-closed write fd until it
      // execs: the kernel then refuses to run the file (ETXTBSY, exit 126). Bounded retry.
      for (let i = 0; i < 5 && damaged.code === 126; i++) {
        await new Promise((r) => setTimeout(r, 100 * (i + 1)));
        damaged = await runTo(`${home}/damaged`, bad, ["--version"]);
      }
      assert.equal(damaged.code, 1, damaged.stderr);
      assert.match(damaged.stderr, /is damaged \(payload SHA-256 .*\): download or build it again/);
      assert.equal(damaged.stdout, "");
    }

    const port = freePort();
    const token = `smoke-${crypto.randomUUID()}`;
    const url = `ws://127.0.0.1:${port}`;
    const conn = ["--url", url, "--token", token];
    const gw = spawnLong(home, bin, ["gateway", "run", "--port", String(port), "--token", token]);
    let node: ReturnType<typeof spawnLong> | undefined;
    try {
      // Ready when `health` through the same file answers (bounded: 60 tries).
      let health = { code: -1, stdout: "", stderr: "" };
      for (let i = 0; i < 60 && health.code !== 0; i++) {
        health = await runTo(home, bin, ["health", ...conn]);
        if (health.code !== 0) await new Promise((r) => setTimeout(r, 500));
      }
      assert.equal(health.code, 0, `${health.stderr}\n${gw.text()}`);
      assert.match(health.stdout, /OK/);

      node = spawnLong(home, bin, [
        "--json",
        "node",
        "connect",
        ...conn,
        "--display-name",
        "smoke",
      ]);
      await node.waitFor(/"state":"pending-approval"/);
      const approve = await runTo(home, bin, ["nodes", "approve", "smoke", ...conn]);
      assert.equal(approve.code, 0, approve.stderr);
      await node.waitFor(/"state":"approved"/);

      const echo = await runTo(home, bin, [
        "nodes",
        "invoke",
        "smoke",
        ...conn,
        "--",
        "echo",
        "hi",
      ]);
      assert.equal(echo.code, 0, echo.stderr);
      assert.equal(echo.stdout, "hi\n");

      assert.equal(await node.stop("SIGINT"), 0, node.text());
      assert.equal(await gw.stop("SIGINT"), 0, gw.text());
    } finally {
      await node?.stop("SIGKILL");
      await gw.stop("SIGKILL");
    }

    // Nothing was fetched at run time: Deno's module caches under the fresh HOME stay empty.
    for (const sub of ["npm", "remote"]) {
      let entries: string[] = [];
      try {
        entries = [...Deno.readDirSync(`${home}/.cache/deno/${sub}`)].map((e) => e.name);
      } catch { /* never created */ }
      assert.deepEqual(entries, [], `DENO_DIR/${sub} must stay empty`);
    }
  } finally {
    await new Deno.Command("chmod", { args: ["-R", "u+w", home] }).output();
    await Deno.remove(home, { recursive: true });
  }
});
