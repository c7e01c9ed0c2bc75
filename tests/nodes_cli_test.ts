/**
 * `nodes`/`devices` CLI: `<node>` resolution (id, prefix, display name, ambiguity → exit 2)
 * and `devices list` / `nodes list` against the real `clawgate gateway run`.
 * @module
 */
import assert from "node:assert/strict";
import { resolveNode } from "../src/cli/commands/nodes_run.ts";
import { CliError } from "../src/cli/exit_code.ts";
import { runClawgate, startGatewayProcess } from "./helpers/cli.ts";

const node = (nodeId: string, displayName: string) => ({
  nodeId,
  displayName,
  caps: [],
  commands: [],
  paired: true,
  connected: true,
});

Deno.test("resolveNode: id, prefix, display name; ambiguous and missing → exit 2", () => {
  const nodes = [node("abc123", "alpha"), node("abd456", "beta"), node("ff0000", "abc")];
  assert.equal(resolveNode(nodes, "abc123").nodeId, "abc123");
  assert.equal(resolveNode(nodes, "abd").nodeId, "abd456");
  assert.equal(resolveNode(nodes, "BETA").nodeId, "abd456");
  for (const q of ["ab", "abc", "zzz"]) {
    assert.throws(() => resolveNode(nodes, q), (e: unknown) => {
      assert.ok(e instanceof CliError);
      assert.equal(e.exitCode, 2);
      return true;
    });
  }
});

Deno.test("nodes list / devices list against clawgate gateway run (empty)", async () => {
  const gw = await startGatewayProcess();
  const conn = ["--url", gw.url, "--token", gw.token];
  try {
    const list = await runClawgate(["--json", "nodes", "list", ...conn]);
    assert.equal(list.code, 0, list.stderr);
    assert.deepEqual(JSON.parse(list.stdout).nodes, []);
    const human = await runClawgate(["nodes", "list", ...conn]);
    assert.equal(human.stdout, "No nodes.\n");
    const devices = await runClawgate(["--json", "devices", "list", ...conn]);
    assert.equal(devices.code, 0, devices.stderr);
    assert.ok(Array.isArray(JSON.parse(devices.stdout).pending));
    const missing = await runClawgate(["devices", "approve", "no-such-request", ...conn]);
    assert.equal(missing.code, 6, missing.stderr);
    const unreachable = await runClawgate([
      "nodes",
      "list",
      "--url",
      "ws://127.0.0.1:1",
      "--token",
      "x",
    ]);
    assert.equal(unreachable.code, 4);
  } finally {
    await gw.stop();
  }
});
