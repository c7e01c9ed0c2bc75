/**
 * `status` on a node-only machine shows the gateway this machine's node is connected to (the
 * node's link record), not only "local gateway unreachable" (OpenClaw #17271).
 * @module
 */
import assert from "node:assert/strict";
import { runClawgate, startGatewayProcess } from "./helpers/cli.ts";
import { startNode } from "./helpers/node_process.ts";

Deno.test({
  name: "status on a node-only machine names the gateway its node is connected to",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const gw = await startGatewayProcess({ token: "node-link-token-0123456789" });
  const nodeDir = await Deno.makeTempDir({ prefix: "clawgate-node-link-" });
  const node = startNode(["--url", gw.url, "--token", gw.token], nodeDir);
  try {
    await node.waitFor(/"state":"(connected|pending-approval)"/);
    const env = { CLAWGATE_STATE_DIR: nodeDir };
    let link: Record<string, unknown> | undefined;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && link?.connected !== true) {
      const r = await runClawgate(["--json", "status"], { env });
      link = JSON.parse(r.stdout).local.node;
    }
    assert.equal(link?.connected, true, JSON.stringify(link));
    assert.equal(link?.url, gw.url);
    assert.equal(link?.alive, true);
    const human = await runClawgate(["status"], { env });
    assert.match(human.stdout, new RegExp(`Node      connected to ${gw.url} \\(cli --url\\)`));
    node.signal("SIGTERM");
    await node.status;
    const after = await runClawgate(["status"], { env });
    assert.match(after.stdout, /Node {6}not running \(last: /);
  } finally {
    node.signal("SIGKILL");
    await node.status;
    await gw.stop();
    await Deno.remove(nodeDir, { recursive: true }).catch(() => {});
    await Deno.remove(gw.stateDir, { recursive: true }).catch(() => {});
  }
});
