/**
 * CLI contract: exit codes, `--json` shapes and messages, against real `clawgate gateway run`
 * processes (all through scripts/clawgate, the compile-time permissions).
 */
import * as v from "valibot";
import assert from "node:assert/strict";
import { StatusSummarySchema } from "../src/protocol/mod.ts";
import { runClawgate, startGatewayProcess } from "./helpers/cli.ts";
import { freePort } from "./helpers/net.ts";
import { connectFrame, openRaw } from "./helpers/raw_ws.ts";

const opts = { sanitizeOps: false, sanitizeResources: false };

Deno.test({
  name: "cli: --help exits 0, an unknown flag exits 2",
  ...opts,
  async fn() {
    const help = await runClawgate(["--help"]);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /gateway/);
    const bad = await runClawgate(["health", "--no-such-flag"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown option/);
    const badJson = await runClawgate(["health", "--no-such-flag", "--json"]);
    assert.equal(JSON.parse(badJson.stdout).error.code, "usage");
  },
});

Deno.test({
  name: "cli: unreachable gateway exits 4 with a hint naming tunnel and gateway run",
  ...opts,
  async fn() {
    const port = freePort();
    const r = await runClawgate([
      "health",
      "--json",
      "--url",
      `ws://127.0.0.1:${port}`,
      "--token",
      "t",
    ]);
    assert.equal(r.code, 4);
    const env = JSON.parse(r.stdout);
    assert.equal(env.ok, false);
    assert.equal(env.error.code, "unreachable");
    assert.match(env.error.message, /connection refused/);
    assert.match(env.error.hint, /clawgate tunnel user@host/);
    assert.match(env.error.hint, /clawgate gateway run/);
  },
});

Deno.test({
  name: "cli: --url without credentials exits 2 and opens no socket",
  ...opts,
  async fn() {
    const r = await runClawgate(["gateway", "call", "status", "--url", "ws://127.0.0.1:1"], {
      env: { CLAWGATE_GATEWAY_TOKEN: "from-env" },
    });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /gateway url override requires explicit credentials/);
    assert.match(r.stderr, /--token or --password/);
  },
});

Deno.test({
  name: "cli: bad config exits 3 naming the file and key path",
  ...opts,
  async fn() {
    const dir = await Deno.makeTempDir();
    const cfg = `${dir}/c.json`;
    await Deno.writeTextFile(cfg, `{ gateway: { auth: { mode: "magic" } } }`);
    const r = await runClawgate(["--config", cfg, "health", "--json"]);
    assert.equal(r.code, 3);
    const env = JSON.parse(r.stdout);
    assert.equal(env.error.code, "config");
    assert.ok(env.error.message.includes(cfg), env.error.message);
    assert.ok(env.error.message.includes("gateway.auth.mode"), env.error.message);
    await Deno.writeTextFile(cfg, `{ gateway: `);
    const r2 = await runClawgate(["--config", cfg, "status"]);
    assert.equal(r2.code, 3);
    assert.match(r2.stderr, /not valid JSON5/);
    const r3 = await runClawgate(["--config", `${dir}/missing.json`, "status"]);
    assert.equal(r3.code, 3);
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "cli: a non-loopback bind without a secret refuses to start with exit 3",
  ...opts,
  async fn() {
    const dir = await Deno.makeTempDir();
    for (const bind of ["lan", "custom"]) {
      const args = ["gateway", "run", "--bind", bind, "--port", String(freePort())];
      if (bind === "custom") args.push("--custom-bind-host", "127.0.0.2");
      // 127.0.0.2 is loopback: custom to a loopback address is allowed; use lan-only assertion for refusal.
      const r = await runClawgate(bind === "lan" ? args : [...args.slice(0, -1), "0.0.0.0"], {
        env: { CLAWGATE_STATE_DIR: dir },
        timeoutMs: 15_000,
      });
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, /Refusing to bind gateway to 0\.0\.0\.0/);
      assert.match(r.stderr, /--token/);
    }
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "gateway: generated loopback token is stored 0600 and found by local CLI calls",
  ...opts,
  async fn() {
    const gw = await startGatewayProcess({ token: null });
    try {
      const info = await Deno.stat(`${gw.stateDir}/gateway-token`);
      assert.equal(info.mode! & 0o777, 0o600);
      assert.ok(
        !gw.logs().includes(Deno.readTextFileSync(`${gw.stateDir}/gateway-token`).trim()),
        "token leaked to logs",
      );
      const env = { CLAWGATE_STATE_DIR: gw.stateDir, CLAWGATE_GATEWAY_PORT: String(gw.port) };
      const h = await runClawgate(["health"], { env });
      assert.equal(h.code, 0, h.stderr);
      assert.match(h.stdout, /^Gateway Health\nOK \(\d+ms\)/);
      const wrong = await runClawgate(["health", "--json", "--url", gw.url, "--token", "wrong"], {
        env,
      });
      assert.equal(wrong.code, 7);
      assert.equal(JSON.parse(wrong.stdout).error.details.code, "AUTH_TOKEN_MISMATCH");
    } finally {
      assert.equal(await gw.stop(), 0);
      await Deno.remove(gw.stateDir, { recursive: true });
    }
  },
});

Deno.test({
  name: "gateway: status, call, --json shapes and scopes",
  ...opts,
  async fn() {
    const gw = await startGatewayProcess();
    const conn = ["--url", gw.url, "--token", gw.token];
    try {
      const st = await runClawgate(["gateway", "call", "status", "--json", ...conn]);
      assert.equal(st.code, 0, st.stderr);
      const status = JSON.parse(st.stdout);
      // Upstream's status-summary shape (no clawgate-only blocks): parsed by the schema.
      assert.ok(v.is(StatusSummarySchema, status), st.stdout);
      assert.equal(status.gateway, undefined);
      assert.deepEqual(status.channelSummary, []);
      const cfg = await runClawgate(["gateway", "call", "config.get", "--json", ...conn]);
      assert.equal(cfg.code, 0, cfg.stderr);
      const unknown = await runClawgate(["gateway", "call", "nope", "--json", ...conn]);
      assert.equal(unknown.code, 6);
      assert.match(JSON.parse(unknown.stdout).error.message, /unknown method: nope/);
      const badParams = await runClawgate(["gateway", "call", "status", "--params", "{", ...conn]);
      assert.equal(badParams.code, 2);
      const send = await runClawgate([
        "gateway",
        "send",
        "--to",
        "x",
        "--message",
        "hi",
        "--json",
        ...conn,
      ]);
      assert.equal(send.code, 6);
      assert.match(JSON.parse(send.stdout).error.message, /no messaging channels/);
      const deep = await runClawgate(["status", "--deep", "--json", ...conn]);
      assert.equal(deep.code, 0, deep.stderr);
      const d = JSON.parse(deep.stdout);
      assert.equal(d.gateway.reachable, true);
      assert.ok(Array.isArray(d.gateway.presence));
      const gs = await runClawgate(["gateway", "status", ...conn]);
      assert.equal(gs.code, 0);
      assert.match(gs.stdout, /Reachable yes/);
    } finally {
      assert.equal(await gw.stop(), 0);
      await Deno.remove(gw.stateDir, { recursive: true });
    }
  },
});

Deno.test({
  name: "gateway: SIGTERM sends shutdown, closes 1012 and exits 0",
  ...opts,
  async fn() {
    const gw = await startGatewayProcess();
    const ws = await openRaw(gw.url);
    await ws.frame(1);
    ws.send(
      connectFrame({
        client: { id: "gateway-client", version: "t", platform: "linux", mode: "backend" },
        auth: { token: gw.token },
      }),
    );
    assert.equal((await ws.frame(2)).ok, true);
    gw.kill("SIGTERM");
    const closed = await ws.closed(10_000);
    assert.equal(closed.code, 1012);
    assert.ok(
      ws.frames.some((f) => (f as { event?: string }).event === "shutdown"),
      JSON.stringify(ws.frames),
    );
    assert.equal((await gw.status).code, 0);
    await Deno.remove(gw.stateDir, { recursive: true });
  },
});

Deno.test({
  name: "gateway: remote-looking operators without a device lose their scopes; health still works",
  ...opts,
  async fn() {
    const gw = await startGatewayProcess();
    try {
      const ws = await openRaw(gw.url);
      await ws.frame(1);
      // cli/probe is not a trusted local client kind: accepted, scopes cleared (protocol.md §2.3 step 6).
      ws.send(
        connectFrame({
          client: { id: "cli", version: "t", platform: "linux", mode: "probe" },
          auth: { token: gw.token },
        }),
      );
      const hello = await ws.frame(2);
      assert.deepEqual((hello.payload as { auth: { scopes: string[] } }).auth.scopes, []);
      ws.send(JSON.stringify({ type: "req", id: "2", method: "status", params: {} }));
      const denied = await ws.frame(3);
      assert.equal((denied.error as { code: string }).code, "FORBIDDEN");
      assert.equal((denied.error as { message: string }).message, "missing scope: operator.read");
      ws.send(JSON.stringify({ type: "req", id: "3", method: "health" }));
      assert.equal((await ws.frame(4)).ok, true);
      ws.close();
    } finally {
      await gw.stop();
      await Deno.remove(gw.stateDir, { recursive: true });
    }
  },
});
