/**
 * `clawgate node connect --ssh` against the real gateway behind a real sshd (issue 13 item 5),
 * every CLI run through scripts/clawgate: the node supervises its own tunnel, is approved and
 * invoked through it, survives sshd going away (logs which layer is down, never exits) and is
 * invokable again once sshd accepts; a wrong key or host key is fatal: exit 7, one ssh spawn.
 * Timing figures: bench/node_ssh_recovery.ts.
 * @module
 */
import assert from "node:assert/strict";
import { runClawgate, startGatewayProcess } from "./helpers/cli.ts";
import { type NodeProc, startNode } from "./helpers/node_process.ts";
import { HAVE_SSHD, nodeSshArgs, type SshdHandle, startSshd } from "./helpers/sshd.ts";

const opts = { ignore: !HAVE_SSHD, sanitizeResources: false, sanitizeOps: false };

/** The node's NDJSON state lines (the `--json` error envelope at exit is not one). */
function stateLines(node: NodeProc): Array<Record<string, unknown>> {
  return node.stdout().split("\n").flatMap((l) => {
    try {
      const v = JSON.parse(l);
      return typeof v?.state === "string" ? [v] : [];
    } catch {
      return [];
    }
  });
}

/** Waits until `count` state lines match `pred`. */
async function states(
  node: NodeProc,
  pred: (s: Record<string, unknown>) => boolean,
  count: number,
  timeoutMs: number,
): Promise<Array<Record<string, unknown>>> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const hits = stateLines(node).filter(pred);
    if (hits.length >= count) return hits;
    if (Date.now() > deadline) {
      throw new Error(`no ${count} matching states in ${timeoutMs}ms:\n${node.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

Deno.test({
  name: "node connect --ssh: approved and invoked through its tunnel; sshd gone → back after sshd",
  ...opts,
}, async () => {
  const sshd = await startSshd();
  const gw = await startGatewayProcess();
  const conn = ["--url", gw.url, "--token", gw.token];
  const nodeDir = await Deno.makeTempDir({ prefix: "clawgate-node-ssh-" });
  const node = startNode(
    [...nodeSshArgs(sshd, gw.port), "--token", gw.token, "--display-name", "ssh-box"],
    nodeDir,
  );
  try {
    await states(node, (s) => s.state === "connected", 1, 60_000);
    const up = stateLines(node).find((s) => s.state === "tunnel" && s.tunnel === "up")!;
    assert.ok(up, "the node's own tunnel came up");
    assert.match(String(stateLines(node)[0].url), /^ws:\/\/127\.0\.0\.1:\d+$/);
    assert.match(
      node.stderr(),
      /ssh tunnel up 127\.0\.0\.1:\d+ → \S+@127\.0\.0\.1:\d+ \(remote 127\.0\.0\.1:\d+\)/,
    );

    const approve = await runClawgate(["nodes", "approve", "ssh-box", ...conn]);
    assert.equal(approve.code, 0, approve.stderr);
    const echo = await runClawgate(["nodes", "invoke", "ssh-box", ...conn, "--", "echo", "hi"]);
    assert.equal(echo.code, 0, echo.stderr);
    assert.equal(echo.stdout.trim(), "hi");

    // sshd and its sessions go away: the link is down, the node waits, it does not exit.
    const before = stateLines(node).length;
    const isDisconnected = (s: Record<string, unknown>) => s.state === "disconnected";
    const disconnectsBefore = stateLines(node).filter(isDisconnected).length;
    await sshd.kill();
    // The tunnel's state and the node socket's close race each other: wait for both.
    await states(node, isDisconnected, disconnectsBefore + 1, 60_000);
    await states(
      node,
      (s) => s.state === "tunnel" && s.tunnel === "backoff" && s.kind === "refused",
      1,
      60_000,
    );
    const down = stateLines(node).slice(before);
    assert.ok(down.some((s) => s.state === "disconnected"), JSON.stringify(down));
    assert.ok(down.some((s) => s.layer === "link"), JSON.stringify(down));
    assert.match(node.stderr(), /link down: .*ssh restarts in/);
    assert.ok(!down.some((s) => s.state === "stopped" || s.state === "refused"));

    await sshd.restart();
    await states(node, (s) => s.state === "connected", 2, 90_000);
    const again = await runClawgate(["nodes", "invoke", "ssh-box", ...conn, "--", "echo", "back"]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout.trim(), "back");
  } finally {
    node.signal("SIGTERM");
    await node.status;
    await gw.stop();
    await sshd.stop();
    await Deno.remove(nodeDir, { recursive: true }).catch(() => {});
  }
  const status = await node.status;
  assert.equal(status.code, 0, node.stderr());
});

for (
  const [what, o, pattern] of [
    ["wrong key", (s: SshdHandle) => ({ key: s.wrongKey }), /Permission denied/],
    [
      "unknown host key",
      (s: SshdHandle) => ({ knownHosts: s.wrongKnownHosts }),
      /host key|Host key verification failed/i,
    ],
  ] as const
) {
  Deno.test({
    name: `node connect --ssh: ${what} → exit 7, clear message, one ssh spawn`,
    ...opts,
  }, async () => {
    const sshd = await startSshd();
    const gw = await startGatewayProcess();
    const nodeDir = await Deno.makeTempDir({ prefix: "clawgate-node-ssh-" });
    const node = startNode([...nodeSshArgs(sshd, gw.port, o(sshd)), "--token", gw.token], nodeDir);
    try {
      const status = await Promise.race([
        node.status,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error(`node did not exit:\n${node.stderr()}`)), 60_000)
        ),
      ]);
      assert.equal(status.code, 7, node.stderr());
      assert.match(node.stderr(), /ssh tunnel to \S+@127\.0\.0\.1:\d+ failed/);
      assert.match(node.stderr(), pattern);
      const spawns = stateLines(node).filter((s) =>
        s.state === "tunnel" && s.tunnel === "connecting"
      );
      assert.equal(spawns.length, 1, "no retry storm");
      assert.ok(!stateLines(node).some((s) => s.state === "connected"));
    } finally {
      node.signal("SIGKILL");
      await node.status;
      await gw.stop();
      await sshd.stop();
      await Deno.remove(nodeDir, { recursive: true }).catch(() => {});
    }
  });
}

Deno.test({
  name: "node connect: --remote NAME and gateway.remote select the route (ssh: own tunnel; direct)",
  ...opts,
}, async () => {
  const sshd = await startSshd();
  const gw = await startGatewayProcess();
  const remote = {
    sshTarget: `${sshd.target}:${sshd.port}`,
    sshIdentity: sshd.clientKey,
    sshOptions: [`UserKnownHostsFile=${sshd.knownHosts}`, "GlobalKnownHostsFile=/dev/null"],
    remotePort: gw.port,
    token: gw.token,
  };
  const cfgDir = await Deno.makeTempDir({ prefix: "clawgate-cfg-" });
  const configs = {
    named: { remotes: { lab: remote, other: { url: "ws://127.0.0.1:1" } } },
    mode: { gateway: { mode: "remote", remote: { transport: "ssh", ...remote } } },
    direct: { remotes: { lab: { transport: "direct", url: gw.url, token: gw.token } } },
  };
  try {
    for (const [which, config] of Object.entries(configs)) {
      const path = `${cfgDir}/${which}.json`;
      await Deno.writeTextFile(path, JSON.stringify(config));
      const nodeDir = await Deno.makeTempDir({ prefix: "clawgate-node-ssh-" });
      const node = startNode(which === "mode" ? [] : ["--remote", "lab"], nodeDir, {
        CLAWGATE_CONFIG_PATH: path,
      });
      try {
        await states(node, (s) => s.state === "connected", 1, 60_000);
        const tunnelUp = stateLines(node).some((s) => s.state === "tunnel" && s.tunnel === "up");
        assert.equal(tunnelUp, which !== "direct", "a tunnel only for transport ssh");
        assert.match(
          node.stderr(),
          which === "mode" ? /\(gateway\.remote\)/ : /--remote \(remotes\.lab\)/,
        );
        assert.match(node.stderr(), /auth=config (remotes\.lab|gateway\.remote)/);
      } finally {
        node.signal("SIGTERM");
        assert.equal((await node.status).code, 0, node.stderr());
        await Deno.remove(nodeDir, { recursive: true }).catch(() => {});
      }
    }
  } finally {
    await gw.stop();
    await sshd.stop();
    await Deno.remove(cfgDir, { recursive: true }).catch(() => {});
  }
});
