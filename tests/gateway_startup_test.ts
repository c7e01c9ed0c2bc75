/**
 * `gateway run` start-up order (issue 7): `/healthz` answers once the port is bound, while the
 * HTTP app, the session code and `npm:ws` load; a client that connects at that very moment is
 * served (its upgrade waits for them), `/readyz` turns 200 once they are loaded, and a failure
 * to load them still ends `gateway run`.
 * @module
 */
import assert from "node:assert/strict";
import { baseEnv, CLAWGATE, runClawgate } from "./helpers/cli.ts";
import { freePort } from "./helpers/net.ts";
import { connectFrame, openRaw } from "./helpers/raw_ws.ts";

Deno.test({
  name: "gateway run: a handshake and health sent as soon as /healthz answers are served",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const port = freePort();
    const token = `tok-${crypto.randomUUID()}`;
    const stateDir = await Deno.makeTempDir({ prefix: "clawgate-gw-" });
    const child = new Deno.Command(CLAWGATE, {
      args: ["gateway", "run", "--port", String(port), "--token", token],
      env: baseEnv({ CLAWGATE_STATE_DIR: stateDir }),
      clearEnv: true,
      stdout: "null",
      stderr: "null",
      stdin: "null",
    }).spawn();
    try {
      let live = false;
      for (let i = 0; i < 4_000 && !live; i++) { // bounded: 4,000 × ≥5 ms
        try {
          const res = await fetch(`http://127.0.0.1:${port}/healthz`);
          await res.body?.cancel();
          live = res.ok;
        } catch { /* not listening yet */ }
        if (!live) await new Promise((r) => setTimeout(r, 5));
      }
      assert.ok(live, "/healthz never answered 200");
      const ws = await openRaw(`ws://127.0.0.1:${port}`);
      const challenge = await ws.frame(1, 20_000);
      assert.equal(challenge.event, "connect.challenge");
      ws.send(connectFrame({ auth: { token } }));
      const hello = await ws.frame(2, 20_000);
      assert.equal(hello.ok, true, JSON.stringify(hello));
      ws.send(JSON.stringify({ type: "req", id: "2", method: "health" }));
      const health = await ws.frame(3, 20_000);
      assert.equal(health.ok, true, JSON.stringify(health));
      assert.equal((health.payload as { ok?: boolean }).ok, true);
      // Sessions are being served, so the rest has loaded: /readyz must say so.
      const readyz = await fetch(`http://127.0.0.1:${port}/readyz`);
      assert.equal(readyz.status, 200);
      assert.equal(((await readyz.json()) as { ready?: boolean }).ready, true);
      ws.close();
    } finally {
      try {
        child.kill("SIGTERM");
      } catch { /* exited */ }
      await child.status;
      await Deno.remove(stateDir, { recursive: true });
    }
  },
});

Deno.test("gateway run: a pairing file that cannot be read still fails the start (exit 1)", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "clawgate-gw-" });
  try {
    await Deno.mkdir(`${stateDir}/pairing`, { mode: 0o700 });
    await Deno.writeTextFile(`${stateDir}/pairing/nodes.json`, "{not json");
    const r = await runClawgate(["gateway", "run", "--port", String(freePort())], {
      env: { CLAWGATE_STATE_DIR: stateDir },
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /JSON/);
    assert.doesNotMatch(r.stderr, /listening on/);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
