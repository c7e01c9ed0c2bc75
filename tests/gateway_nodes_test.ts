// deno-lint-ignore-file no-console -- timings are reported on purpose
/**
 * Gateway side of headless nodes, against a real `clawgate gateway run` process: loopback
 * device pairing and device tokens, command-surface approval pushed live, `node.invoke`
 * routing (echo, idempotency, timeout, node killed mid-invoke), pairing surviving a restart.
 * The node is a tiny test-local client built on GatewayClient that signs with src/identity.
 */
import assert from "node:assert/strict";
import { startGatewayProcess } from "./helpers/cli.ts";
import { connectOperator, rpcError, startEchoNode } from "./helpers/node_peer.ts";
import { generateDeviceIdentity } from "../src/identity/device_identity.ts";

Deno.test("loopback node: silent device pairing, surface approval pushed live, invoke, idempotency, timeout, kill, restart", async () => {
  const gw = await startGatewayProcess();
  let gw2: Awaited<ReturnType<typeof startGatewayProcess>> | undefined;
  const identity = await generateDeviceIdentity();
  const op = await connectOperator(gw.url, gw.token);
  try {
    const commands = ["echo", "fail", "hang", "system.which"];
    const node = await startEchoNode(gw.url, { identity, token: gw.token, commands });
    const tok = node.client.hello.auth.deviceToken;
    assert.ok(typeof tok === "string" && tok.length === 43, `device token issued: ${tok}`);
    assert.deepEqual(node.client.hello.auth.role, "node");

    // Surface pending: effective commands [] until approved.
    const list1 = await op.client.request<{ nodes: Record<string, unknown>[] }>("node.list", {});
    const entry1 = list1.nodes.find((n) => n.nodeId === identity.deviceId)!;
    assert.deepEqual(entry1.approvalState, "pending-approval");
    assert.deepEqual(entry1.commands, []);
    assert.deepEqual(entry1.connected, true);
    assert.deepEqual(entry1.paired, true);
    const refused = await rpcError(op.client.request("node.invoke", {
      nodeId: identity.deviceId,
      command: "echo",
      params: { x: 1 },
      idempotencyKey: crypto.randomUUID(),
    }));
    assert.deepEqual(refused.code, "INVALID_REQUEST");
    assert.deepEqual((refused.details as Record<string, unknown>).reason, "command-not-approved");
    // The node learns it is pending from the runner-inventory refusal (reference-peer.md §4).
    const inventory = {
      protocolFeatures: ["node-worker-supervisor-v6"],
      workerHost: { enabled: false },
    };
    const awaiting = await rpcError(node.client.request("node.runnerInventory.update", inventory));
    assert.deepEqual(awaiting.code, "UNAVAILABLE");
    assert.deepEqual(
      awaiting.message,
      "node capability surface is awaiting operator approval; run " +
        `\`clawgate nodes approve ${identity.deviceId}\` (see \`clawgate nodes pending\`), ` +
        "then this node retries automatically",
    );
    assert.deepEqual(
      await node.client.request("node.skills.update", { skills: [] }),
      { nodeId: identity.deviceId, skills: [] },
    );

    const pairs = await op.client.request<
      { pending: { requestId: string; nodeId: string; requiredApproveScopes: string[] }[] }
    >(
      "node.pair.list",
      {},
    );
    const req = pairs.pending.find((p) => p.nodeId === identity.deviceId)!;
    assert.deepEqual(req.requiredApproveScopes, ["operator.pairing", "operator.admin"]);
    // pairing-only operator cannot approve a system.* surface
    const weak = await connectOperator(gw.url, gw.token, ["operator.pairing"]);
    const forbidden = await rpcError(
      weak.client.request("node.pair.approve", { requestId: req.requestId }),
    );
    assert.deepEqual(forbidden.code, "FORBIDDEN");
    weak.client.close();

    const approved = await op.client.request<{ requestId: string; node: { nodeId: string } }>(
      "node.pair.approve",
      { requestId: req.requestId },
    );
    assert.deepEqual(approved.node.nodeId, identity.deviceId);
    const resolved = await node.nextEvent("node.pair.resolved");
    assert.deepEqual(resolved, {
      requestId: req.requestId,
      nodeId: identity.deviceId,
      decision: "approved",
      ts: (resolved as { ts: number }).ts,
    });
    assert.deepEqual(
      await node.client.request("node.runnerInventory.update", inventory),
      { nodeId: identity.deviceId },
    );

    // Invoke echo (no node restart).
    const key = crypto.randomUUID();
    const t0 = performance.now();
    const res = await op.client.request<Record<string, unknown>>("node.invoke", {
      nodeId: identity.deviceId,
      command: "echo",
      params: { hello: "world" },
      idempotencyKey: key,
    });
    console.log(`echo invoke round trip: ${(performance.now() - t0).toFixed(1)} ms`);
    assert.deepEqual(res, {
      ok: true,
      nodeId: identity.deviceId,
      command: "echo",
      payload: { hello: "world" },
      payloadJSON: '{"hello":"world"}',
    });
    const again = await op.client.request("node.invoke", {
      nodeId: identity.deviceId,
      command: "echo",
      params: { hello: "world" },
      idempotencyKey: key,
    });
    assert.deepEqual(again, res);
    assert.deepEqual(node.requests.filter((r) => r.idempotencyKey === key).length, 1, "deduped");

    // node ok:false → UNAVAILABLE "<CODE>: <message>"
    const failed = await rpcError(op.client.request("node.invoke", {
      nodeId: identity.deviceId,
      command: "fail",
      idempotencyKey: crypto.randomUUID(),
    }));
    assert.deepEqual(failed.code, "UNAVAILABLE");
    assert.deepEqual(failed.message, "UNAVAILABLE: command not supported");
    assert.deepEqual((failed.details as Record<string, unknown>).nodeCommandDispatched, true);

    // Not declared → INVALID_REQUEST; blocked → INVALID_REQUEST
    const undeclared = await rpcError(op.client.request("node.invoke", {
      nodeId: identity.deviceId,
      command: "system.run",
      params: { command: ["true"] },
      idempotencyKey: crypto.randomUUID(),
    }));
    assert.deepEqual(
      (undeclared.details as Record<string, unknown>).reason,
      "command-not-declared",
    );
    const blocked = await rpcError(op.client.request("node.invoke", {
      nodeId: identity.deviceId,
      command: "system.execApprovals.get",
      idempotencyKey: crypto.randomUUID(),
    }));
    assert.deepEqual((blocked.details as Record<string, unknown>).reason, "command-blocked");
    const noKey = await rpcError(
      op.client.request("node.invoke", { nodeId: identity.deviceId, command: "echo" }),
    );
    assert.deepEqual(noKey.code, "INVALID_REQUEST");

    // Timeout → UNAVAILABLE with node error TIMEOUT; the late result is ignored.
    const timedOut = await rpcError(op.client.request("node.invoke", {
      nodeId: identity.deviceId,
      command: "hang",
      timeoutMs: 300,
      idempotencyKey: crypto.randomUUID(),
    }));
    assert.deepEqual(timedOut.code, "UNAVAILABLE");
    assert.deepEqual(
      ((timedOut.details as Record<string, unknown>).nodeError as Record<string, unknown>).code,
      "TIMEOUT",
    );
    const hung = node.requests.find((r) => r.command === "hang")!;
    const late = await node.client.request("node.invoke.result", {
      id: hung.id,
      nodeId: identity.deviceId,
      ok: true,
      payloadJSON: "{}",
    });
    assert.deepEqual(late, { ok: true, ignored: true });
    const mismatch = await rpcError(node.client.request("node.invoke.result", {
      id: hung.id,
      nodeId: "someone-else",
      ok: true,
    }));
    assert.deepEqual(mismatch.message, "nodeId mismatch");
    assert.deepEqual(
      await node.client.request("node.event", { event: "node.host.stats", payloadJSON: "{}" }),
      { ok: true, event: "node.host.stats", handled: true },
    );
    assert.deepEqual(
      await node.client.request("node.pluginTools.update", { tools: [] }),
      { nodeId: identity.deviceId, tools: [] },
    );

    // rename + describe
    await op.client.request("node.rename", { nodeId: identity.deviceId, displayName: "box-1" });
    const desc = await op.client.request<Record<string, unknown>>("node.describe", {
      nodeId: identity.deviceId,
    });
    assert.deepEqual(desc.displayName, "box-1");
    assert.deepEqual(desc.approvalState, "approved");
    assert.deepEqual(desc.commands, commands);
    const unknown = await rpcError(op.client.request("node.describe", { nodeId: "nope" }));
    assert.deepEqual(unknown.message, "unknown nodeId");

    // Node killed mid-invoke → prompt UNAVAILABLE / NOT_CONNECTED.
    const pendingInvoke = rpcError(op.client.request("node.invoke", {
      nodeId: identity.deviceId,
      command: "hang",
      timeoutMs: 20_000,
      idempotencyKey: crypto.randomUUID(),
    }));
    await node.nextRequest("hang");
    const tKill = performance.now();
    node.client.close(1001, "killed");
    const dropped = await pendingInvoke;
    const killMs = performance.now() - tKill;
    console.log(`node disconnect → invoke failure: ${killMs.toFixed(1)} ms`);
    assert.ok(killMs < 2000, `prompt failure (${killMs} ms)`);
    assert.deepEqual(dropped.code, "UNAVAILABLE");
    assert.deepEqual(dropped.message, "node not connected");
    assert.deepEqual((dropped.details as Record<string, unknown>).code, "NOT_CONNECTED");
    const gone = await rpcError(op.client.request("node.invoke", {
      nodeId: identity.deviceId,
      command: "echo",
      idempotencyKey: crypto.randomUUID(),
    }));
    assert.deepEqual((gone.details as Record<string, unknown>).nodeCommandDispatched, false);

    // Reconnect with the device token only (no shared secret).
    const viaToken = await startEchoNode(gw.url, { identity, deviceToken: tok, commands });
    assert.deepEqual(viaToken.client.hello.auth.method, "device-token");
    assert.deepEqual(viaToken.client.hello.auth.deviceToken, tok);
    viaToken.client.close();
    const wrongTok = await rpcError(
      startEchoNode(gw.url, { identity, deviceToken: "x".repeat(43) }),
    );
    assert.deepEqual(
      (wrongTok.details as Record<string, unknown>).code,
      "AUTH_DEVICE_TOKEN_MISMATCH",
    );

    const events = op.events.map((e) => e.event);
    assert.ok(
      events.includes("node.pair.requested"),
      `operator saw node.pair.requested: ${events}`,
    );
    assert.ok(events.includes("node.pair.resolved"));

    // Restart on the same state dir: device token and approved surface survive.
    op.client.close();
    await gw.stop();
    const mode = (await Deno.stat(`${gw.stateDir}/pairing/devices.json`)).mode! & 0o777;
    assert.deepEqual(mode, 0o600);
    gw2 = await startGatewayProcess({ stateDir: gw.stateDir, port: gw.port, token: gw.token });
    const back = await startEchoNode(gw2.url, { identity, deviceToken: tok, commands });
    assert.deepEqual(back.client.hello.auth.method, "device-token");
    const op2 = await connectOperator(gw2.url, gw2.token);
    const res2 = await op2.client.request<Record<string, unknown>>("node.invoke", {
      nodeId: identity.deviceId,
      command: "echo",
      params: [1, 2],
      idempotencyKey: crypto.randomUUID(),
    });
    assert.deepEqual(res2.payload, [1, 2]);
    const d2 = await op2.client.request<Record<string, unknown>>("node.describe", {
      nodeId: identity.deviceId,
    });
    assert.deepEqual(d2.displayName, "box-1");
    back.client.close();
    op2.client.close();
  } finally {
    op.client.close();
    await gw.stop();
    await gw2?.stop();
    await Deno.remove(gw.stateDir, { recursive: true }).catch(() => {});
  }
});

Deno.test("gateway.nodes.autoApprove approves surfaces at connect", async () => {
  const dir = await Deno.makeTempDir({ prefix: "clawgate-cfg-" });
  const configPath = `${dir}/clawgate.json`;
  await Deno.writeTextFile(
    configPath,
    JSON.stringify({ gateway: { nodes: { autoApprove: true } } }),
  );
  const gw = await startGatewayProcess({ configPath });
  try {
    const identity = await generateDeviceIdentity();
    const node = await startEchoNode(gw.url, { identity, token: gw.token });
    const op = await connectOperator(gw.url, gw.token);
    const res = await op.client.request<Record<string, unknown>>("node.invoke", {
      nodeId: identity.deviceId,
      command: "echo",
      params: "hi",
      idempotencyKey: crypto.randomUUID(),
    });
    assert.deepEqual(res.payload, "hi");
    node.client.close();
    op.client.close();
  } finally {
    await gw.stop();
    await Deno.remove(dir, { recursive: true });
    await Deno.remove(gw.stateDir, { recursive: true }).catch(() => {});
  }
});
