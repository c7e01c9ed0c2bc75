/**
 * `clawgate node connect` resilience against a real `clawgate gateway run`, every CLI run
 * through scripts/clawgate: remote-simulated device pairing (`autoApproveLocal:false` → the
 * node waits on PAIRING_REQUIRED and connects by itself once `devices approve` ran), the tick
 * watchdog (gateway SIGSTOPped → close 4000 `tick timeout` → back after SIGCONT), and SIGTERM
 * during a running `system.run` (exit 0 at once, the command killed, the operator answered
 * UNAVAILABLE at once). Every wait is bounded; every process is killed in `finally`.
 * @module
 */
import assert from "node:assert/strict";
import { runClawgate, startGatewayProcess } from "./helpers/cli.ts";
import { type NodeProc, startNode } from "./helpers/node_process.ts";
import { connectOperator, rpcError } from "./helpers/node_peer.ts";

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` every 50 ms until it returns a value, failing after `timeoutMs`. */
async function until<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await delay(50);
  }
}

/** Pids of processes whose full argv matches `pattern` (`pgrep -f`). */
async function pgrep(pattern: string): Promise<number[]> {
  const out = await new Deno.Command("pgrep", { args: ["-f", pattern], stdout: "piped" })
    .output();
  return new TextDecoder().decode(out.stdout).split("\n").filter(Boolean).map(Number);
}

/** Stops a node for good (SIGKILL) and waits, bounded; used in `finally`. */
async function killNode(node: NodeProc): Promise<void> {
  node.signal("SIGKILL");
  await Promise.race([node.status, delay(5_000)]);
}

async function writeConfig(config: unknown): Promise<{ dir: string; path: string }> {
  const dir = await Deno.makeTempDir({ prefix: "clawgate-cfg-" });
  const path = `${dir}/clawgate.json`;
  await Deno.writeTextFile(path, JSON.stringify(config));
  return { dir, path };
}

Deno.test("node connect: remote-simulated device pairing waits on PAIRING_REQUIRED, resumes after devices approve", async () => {
  const cfg = await writeConfig({ gateway: { nodes: { pairing: { autoApproveLocal: false } } } });
  const gw = await startGatewayProcess({ configPath: cfg.path });
  const conn = ["--url", gw.url, "--token", gw.token];
  const nodeDir = await Deno.makeTempDir({ prefix: "clawgate-node-" });
  const node = startNode([...conn, "--display-name", "far-box"], nodeDir, {
    CLAWGATE_NODE_PAIRING_RETRY_MS: "300",
  });
  try {
    await node.waitFor(/"state":"pairing-required"/);
    const first = node.states().find((s) => s.state === "pairing-required")!;
    const requestId = first.requestId as string;
    assert.match(requestId, /^[0-9a-f-]{36}$/);
    assert.match(node.stderr(), /PAIRING_REQUIRED/);
    assert.ok(node.stderr().includes(`clawgate devices approve ${requestId}`), node.stderr());

    // It keeps waiting (several retries, same request, no exit, no duplicate warning).
    await until(
      "three pairing-required retries",
      () =>
        node.states().filter((s) => s.state === "pairing-required").length >= 3 ? true : undefined,
    );
    const waits = node.states().filter((s) => s.state === "pairing-required");
    assert.ok(waits.every((s) => s.requestId === requestId), JSON.stringify(waits));
    assert.equal(node.stderr().split("PAIRING_REQUIRED").length - 1, 1, node.stderr());
    assert.ok(!node.states().some((s) => s.state === "connected"));

    const approve = await runClawgate(["devices", "approve", requestId, ...conn]);
    assert.equal(approve.code, 0, approve.stdout + approve.stderr);

    // Same process, no restart: connects by itself on its next retry.
    const approvedAt = Date.now();
    await node.waitFor(/"state":"connected"/, 10_000);
    assert.ok(Date.now() - approvedAt < 5_000, "connected within a few pairing retries");
    const devices = await runClawgate(["--json", "devices", "list", ...conn]);
    assert.equal(devices.code, 0, devices.stderr);
    const paired = JSON.parse(devices.stdout).paired as Array<Record<string, unknown>>;
    const nodeId = node.states().find((s) => s.state === "connected")!.nodeId;
    const rec = paired.find((d) => d.deviceId === nodeId);
    assert.ok(rec, devices.stdout);
    assert.equal(rec.approvedVia, "owner");

    node.signal("SIGTERM");
    const st = await Promise.race([node.status, delay(10_000).then(() => undefined)]);
    assert.equal(st?.code, 0, node.stderr());
  } finally {
    await killNode(node);
    await gw.stop();
    for (const d of [nodeDir, cfg.dir, gw.stateDir]) {
      await Deno.remove(d, { recursive: true }).catch(() => {});
    }
  }
});

Deno.test("node connect: tick watchdog closes 4000 when the gateway stalls (SIGSTOP) and reconnects after SIGCONT", async () => {
  const gw = await startGatewayProcess({ env: { CLAWGATE_TICK_INTERVAL_MS: "300" } });
  const conn = ["--url", gw.url, "--token", gw.token];
  const nodeDir = await Deno.makeTempDir({ prefix: "clawgate-node-" });
  const node = startNode([...conn, "--display-name", "tick-box"], nodeDir, {
    CLAWGATE_NODE_BACKOFF_CAP_MS: "500",
  });
  let stopped = false;
  try {
    await node.waitFor(/"state":"connected"/);
    const hello = node.states().find((s) => s.state === "connected")!;
    assert.equal(hello.tickIntervalMs, 300);
    await delay(1_000); // ticks flow: no false timeout while the gateway is alive
    assert.ok(!node.states().some((s) => s.state === "disconnected"), node.stderr());

    // Silence > 2 × 300 ms with checks every 1 s: a 2 s stall always spans a check.
    Deno.kill(gw.pid, "SIGSTOP");
    stopped = true;
    await delay(2_000);
    Deno.kill(gw.pid, "SIGCONT");
    stopped = false;

    const drop = await until(
      "a tick-timeout disconnect",
      () => node.states().find((s) => s.state === "disconnected"),
    );
    assert.equal(drop.code, 4000, JSON.stringify(drop));
    assert.equal(drop.reason, "tick timeout");
    assert.match(node.stderr(), /tick timeout/);
    await until(
      "reconnect after SIGCONT",
      () => node.states().filter((s) => s.state === "connected").length >= 2 ? true : undefined,
    );
  } finally {
    if (stopped) Deno.kill(gw.pid, "SIGCONT");
    await killNode(node);
    await gw.stop();
    for (const d of [nodeDir, gw.stateDir]) {
      await Deno.remove(d, { recursive: true }).catch(() => {});
    }
  }
});

Deno.test("node connect: SIGTERM during system.run → exit 0 at once, command killed, operator gets UNAVAILABLE", async () => {
  const cfg = await writeConfig({ gateway: { nodes: { autoApprove: true } } });
  const gw = await startGatewayProcess({ configPath: cfg.path });
  const conn = ["--url", gw.url, "--token", gw.token];
  const nodeDir = await Deno.makeTempDir({ prefix: "clawgate-node-" });
  const node = startNode([...conn, "--display-name", "term-box"], nodeDir);
  const op = await connectOperator(gw.url, gw.token);
  // A unique argv so pgrep finds exactly this command.
  const marker = `30.${Math.floor(Math.random() * 1e6)}`;
  try {
    await node.waitFor(/"state":"connected"/);
    const nodeId = node.states().find((s) => s.state === "connected")!.nodeId as string;
    const invoke = rpcError(op.client.request("node.invoke", {
      nodeId,
      command: "system.run",
      params: { command: ["sleep", marker] },
      idempotencyKey: crypto.randomUUID(),
      timeoutMs: 60_000,
    }, { timeoutMs: 70_000 }));
    const [sleepPid] = await until("the sleep process", async () => {
      const pids = await pgrep(`sleep ${marker}`);
      return pids.length ? pids : undefined;
    });

    const t0 = performance.now();
    node.signal("SIGTERM");
    const st = await Promise.race([node.status, delay(5_000).then(() => undefined)]);
    const exitMs = performance.now() - t0;
    assert.ok(st, `node did not exit within 5 s:\n${node.stderr()}`);
    assert.equal(st.code, 0, node.stderr());
    assert.ok(exitMs < 3_000, `exit took ${exitMs.toFixed(0)} ms`);
    assert.equal(node.states().at(-1)?.state, "stopped");

    const err = await Promise.race([invoke, delay(5_000).then(() => undefined)]);
    const answerMs = performance.now() - t0;
    assert.ok(err, "operator not answered within 5 s of SIGTERM");
    assert.equal(err.code, "UNAVAILABLE", `${err.code}: ${err.message}`);
    assert.ok(answerMs < 3_000, `operator answered after ${answerMs.toFixed(0)} ms`);

    await until("the sleep process gone", async () => {
      // A zombie (exited, not yet reaped by its new parent) counts as gone.
      const stat = await Deno.readTextFile(`/proc/${sleepPid}/stat`).catch(() => "");
      const alive = stat !== "" && !/\) Z /.test(stat);
      return !alive && (await pgrep(`sleep ${marker}`)).length === 0 ? true : undefined;
    }, 5_000);
  } finally {
    op.client.close();
    await killNode(node);
    for (const pid of await pgrep(`sleep ${marker}`)) {
      try {
        Deno.kill(pid, "SIGKILL");
      } catch { /* gone */ }
    }
    await gw.stop();
    for (const d of [nodeDir, cfg.dir, gw.stateDir]) {
      await Deno.remove(d, { recursive: true }).catch(() => {});
    }
  }
});
