/**
 * A SIGKILLed node takes its `system.run` children (and their children) with it.
 * @module
 */
import assert from "node:assert/strict";
import { hasParentDeathSignal } from "../src/platform/spawner.ts";
import { runClawgate, startGatewayProcess } from "./helpers/cli.ts";
import { startApprovedNode } from "./helpers/node_process.ts";

/** Whether `pid` is a live (not zombie) process, from /proc. */
function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function waitUntil(what: string, ok: () => boolean | Promise<boolean>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

Deno.test({
  name: "node SIGKILLed mid-run → its system.run child and grandchild are gone",
  ignore: !hasParentDeathSignal(),
  async fn() {
    const gw = await startGatewayProcess();
    const node = await startApprovedNode(gw, "doomed");
    const dir = await Deno.makeTempDir({ prefix: "clawgate-children-" });
    const pidFile = `${dir}/pids`;
    const invoke = runClawgate([
      "nodes",
      "invoke",
      "doomed",
      "--url",
      gw.url,
      "--token",
      gw.token,
      "--",
      "sh",
      "-c",
      `echo $$ > ${pidFile}; sleep 300 & echo $! >> ${pidFile}; wait`,
    ]);
    try {
      let pids: number[] = [];
      await waitUntil("the command wrote both pids", async () => {
        const text = await Deno.readTextFile(pidFile).catch(() => "");
        pids = text.split("\n").filter(Boolean).map(Number);
        return pids.length === 2;
      });
      assert.ok(pids.every(alive), "both processes run before the kill");
      node.signal("SIGKILL");
      await node.status;
      await waitUntil(
        `pids ${pids.join(",")} gone after the node's SIGKILL`,
        () => !pids.some(alive),
      );
      const res = await invoke;
      assert.notEqual(res.code, 0, "the invoke cannot succeed without its node");
    } finally {
      node.signal("SIGKILL");
      await node.status;
      await invoke;
      await gw.stop();
    }
  },
});
