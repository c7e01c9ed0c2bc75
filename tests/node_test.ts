// deno-lint-ignore-file no-console -- measurements are part of the test output
/**
 * `clawgate node connect` against the real `clawgate gateway run`, every CLI run through
 * scripts/clawgate: surface approval with `nodes approve`, `nodes invoke -- echo hi`,
 * `system.which`, timeout, exec-policy deny, SIGTERM → exit 0, gateway restart → node back.
 * @module
 */
import assert from "node:assert/strict";
import { runClawgate, startGatewayProcess } from "./helpers/cli.ts";
import { startNode } from "./helpers/node_process.ts";
import { freePort } from "./helpers/net.ts";

Deno.test("node connect: approve, invoke echo/which, timeout, SIGTERM exit 0", async () => {
  const gw = await startGatewayProcess();
  const nodeDir = await Deno.makeTempDir({ prefix: "clawgate-node-" });
  const node = startNode(
    ["--url", gw.url, "--token", gw.token, "--display-name", "box-a"],
    nodeDir,
  );
  const conn = ["--url", gw.url, "--token", gw.token];
  try {
    await node.waitFor(/"state":"connected"/);
    // The gateway refuses node.runnerInventory.update while the surface is pending; the node
    // reports it and names the approve command.
    await node.waitFor(/"state":"pending-approval"/, 10_000);
    assert.match(node.stderr(), /an operator must run: clawgate nodes approve [0-9a-f]{12}/);
    const pending = await runClawgate(["--json", "nodes", "pending", ...conn]);
    assert.equal(pending.code, 0, pending.stderr);
    assert.equal(JSON.parse(pending.stdout).length, 1);
    const list = await runClawgate(["--json", "nodes", "list", ...conn]);
    assert.equal(list.code, 0, list.stderr);
    const nodes = JSON.parse(list.stdout).nodes;
    assert.equal(nodes.length, 1);
    assert.equal(nodes[0].displayName, "box-a");
    assert.equal(nodes[0].connected, true);

    const approve = await runClawgate(["nodes", "approve", "box-a", ...conn]);
    assert.equal(approve.code, 0, approve.stderr);
    await node.waitFor(/"state":"approved"/);

    const t0 = performance.now();
    const echo = await runClawgate(["nodes", "invoke", "box-a", ...conn, "--", "echo", "hi"]);
    const runMs = Math.round(performance.now() - t0);
    assert.equal(echo.code, 0, echo.stderr);
    assert.equal(echo.stdout, "hi\n");

    const t1 = performance.now();
    const which = await runClawgate([
      "--json",
      "nodes",
      "invoke",
      nodes[0].nodeId.slice(0, 8),
      "system.which",
      "--params",
      '{"bins":["sh","no-such-bin-xyz"]}',
      ...conn,
    ]);
    const whichMs = Math.round(performance.now() - t1);
    assert.equal(which.code, 0, which.stderr);
    const whichRes = JSON.parse(which.stdout);
    assert.deepEqual(Object.keys(whichRes.payload.bins), ["sh"]);
    console.log(
      `CLI invoke wall time (incl. process start): system.run ${runMs} ms, system.which ${whichMs} ms`,
    );

    const slow = await runClawgate([
      "--json",
      "nodes",
      "invoke",
      "box-a",
      "system.run",
      "--params",
      '{"command":["sleep","5"],"timeoutMs":500}',
      ...conn,
    ]);
    assert.equal(slow.code, 5, slow.stderr); // timed out on the node: exit 5, as without --json
    const slowRes = JSON.parse(slow.stdout);
    assert.equal(slowRes.payload.timedOut, true);
    assert.equal(slowRes.payload.success, false);

    const unknown = await runClawgate([
      "--json",
      "gateway",
      "call",
      "node.invoke",
      "--params",
      JSON.stringify({
        nodeId: nodes[0].nodeId,
        command: "system.run",
        params: { command: [] },
        idempotencyKey: crypto.randomUUID(),
      }),
      ...conn,
    ]);
    assert.notEqual(unknown.code, 0);

    const ambiguous = await runClawgate(["nodes", "invoke", "zzz-none", ...conn, "--", "true"]);
    assert.equal(ambiguous.code, 2);

    const rss = await Deno.readTextFile(`/proc/${await denoPid(node.pid)}/status`)
      .then((s) => s.match(/VmRSS:\s+(\d+) kB/)?.[1]).catch(() => undefined);
    if (rss) console.log(`node connect RSS after connect: ${Math.round(Number(rss) / 1024)} MiB`);

    node.signal("SIGTERM");
    const st = await node.status;
    assert.equal(st.code, 0, node.stderr());
    assert.equal(node.states().at(-1)?.state, "stopped");
  } finally {
    node.signal("SIGKILL");
    await node.status;
    await gw.stop();
    await Deno.remove(nodeDir, { recursive: true }).catch(() => {});
  }
});

Deno.test("node connect: exec-policy deny refuses system.run; allowlist admits listed bins", async () => {
  const cfgDir = await Deno.makeTempDir({ prefix: "clawgate-cfg-" });
  const cfg = `${cfgDir}/clawgate.json`;
  await Deno.writeTextFile(cfg, JSON.stringify({ gateway: { nodes: { autoApprove: true } } }));
  const gw = await startGatewayProcess({ configPath: cfg });
  const conn = ["--url", gw.url, "--token", gw.token];
  const dirA = await Deno.makeTempDir();
  const dirB = await Deno.makeTempDir();
  const deny = startNode([...conn, "--display-name", "deny-box", "--exec-policy", "deny"], dirA);
  const allow = startNode(
    [...conn, "--display-name", "allow-box", "--exec-policy", "allowlist", "--allow", "echo"],
    dirB,
  );
  try {
    await deny.waitFor(/"state":"connected"/);
    await allow.waitFor(/"state":"connected"/);
    const refused = await runClawgate(["nodes", "invoke", "deny-box", ...conn, "--", "echo", "hi"]);
    assert.equal(refused.code, 6, refused.stderr);
    assert.match(refused.stderr, /SYSTEM_RUN_DISABLED: security=deny/);
    const ok = await runClawgate(["nodes", "invoke", "allow-box", ...conn, "--", "echo", "yes"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, "yes\n");
    const miss = await runClawgate([
      "nodes",
      "invoke",
      "allow-box",
      ...conn,
      "--",
      "sh",
      "-c",
      "true",
    ]);
    assert.equal(miss.code, 6);
    assert.match(miss.stderr, /allowlist miss/);
  } finally {
    deny.signal("SIGTERM");
    allow.signal("SIGTERM");
    assert.equal((await deny.status).code, 0);
    assert.equal((await allow.status).code, 0);
    await gw.stop();
    for (const d of [dirA, dirB, cfgDir]) await Deno.remove(d, { recursive: true }).catch(() => {});
  }
});

Deno.test("node connect: gateway restart (same state dir) → node back; wrong token → exit 7", async () => {
  const cfgDir = await Deno.makeTempDir({ prefix: "clawgate-cfg-" });
  const cfg = `${cfgDir}/clawgate.json`;
  await Deno.writeTextFile(cfg, JSON.stringify({ gateway: { nodes: { autoApprove: true } } }));
  const port = freePort();
  const token = `tok-${crypto.randomUUID()}`;
  let gw = await startGatewayProcess({ port, token, configPath: cfg });
  const stateDir = gw.stateDir;
  const nodeDir = await Deno.makeTempDir();
  const conn = ["--url", gw.url, "--token", token];
  const node = startNode([...conn, "--display-name", "phoenix"], nodeDir, {
    CLAWGATE_NODE_BACKOFF_CAP_MS: "1000",
  });
  try {
    await node.waitFor(/"state":"connected"/);
    await gw.stop();
    await node.waitFor(/"state":"disconnected"/);
    const down = Date.now();
    gw = await startGatewayProcess({ port, token, configPath: cfg, stateDir });
    const before = (node.stdout().match(/"state":"connected"/g) ?? []).length;
    const deadline = Date.now() + 10_000;
    while ((node.stdout().match(/"state":"connected"/g) ?? []).length <= before) {
      assert.ok(Date.now() < deadline, `node did not come back:\n${node.stderr()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(`node back ${Date.now() - down} ms after the gateway went down`);
    const echo = await runClawgate(["nodes", "invoke", "phoenix", ...conn, "--", "echo", "back"]);
    assert.equal(echo.code, 0, echo.stderr);
    assert.equal(echo.stdout, "back\n");

    const bad = await runClawgate(["node", "connect", "--url", gw.url, "--token", "wrong"], {
      env: { CLAWGATE_STATE_DIR: await Deno.makeTempDir() },
      timeoutMs: 20_000,
    });
    assert.equal(bad.code, 7, bad.stderr);
  } finally {
    node.signal("SIGTERM");
    await node.status;
    await gw.stop();
    for (const d of [nodeDir, cfgDir]) await Deno.remove(d, { recursive: true }).catch(() => {});
  }
});

/** scripts/clawgate execs deno, so the spawned pid is deno itself; fall back to a child. */
async function denoPid(pid: number): Promise<number> {
  try {
    const comm = (await Deno.readTextFile(`/proc/${pid}/comm`)).trim();
    if (comm.startsWith("deno")) return pid;
    const kids = (await Deno.readTextFile(`/proc/${pid}/task/${pid}/children`)).trim().split(/\s+/);
    return Number(kids[0]) || pid;
  } catch {
    return pid;
  }
}
