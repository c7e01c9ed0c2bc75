/**
 * The Control UI with silent local pairing off (`gateway.nodes.pairing.autoApproveLocal:
 * false`): the browser is told in plain words that it must be paired and which command does
 * it, resumes after `clawgate devices approve`, then approves a node's device pairing and its
 * command surface from the page as the requests arrive. A separate file so it runs in parallel
 * with tests/control_ui_test.ts.
 * @module
 */
import assert from "node:assert/strict";
import {
  chromiumAvailable,
  launchChromium,
  openPage,
  screenshot,
  uiLogin,
} from "./helpers/browser.ts";
import { runClawgate, startGatewayProcess } from "./helpers/cli.ts";
import { startNode } from "./helpers/node_process.ts";

const WAIT = { timeout: 20_000 };

Deno.test({
  name: "control UI: pairing required in plain words, then device and surface approval",
  ignore: !chromiumAvailable(),
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "clawgate-ui-pair-" });
    const configPath = `${dir}/clawgate.json`;
    await Deno.writeTextFile(
      configPath,
      JSON.stringify({ gateway: { nodes: { pairing: { autoApproveLocal: false } } } }),
    );
    const gw = await startGatewayProcess({ configPath });
    const conn = ["--url", gw.url, "--token", gw.token];
    const browser = await launchChromium();
    let node: ReturnType<typeof startNode> | undefined;
    try {
      const { page, problems } = await openPage(browser);
      await page.goto(`http://127.0.0.1:${gw.port}/`);
      await uiLogin(page, gw.token);
      const refused = await page.waitForSelector("#conn-state[data-phase=refused]", WAIT);
      const text = await refused.textContent() ?? "";
      assert.match(text, /^This browser is not paired with the gateway yet/);
      const requestId = /clawgate devices approve ([0-9a-f-]{36})/.exec(text)?.[1];
      assert.ok(requestId, text);
      await screenshot(page, "pairing-required");

      const approve = await runClawgate(["devices", "approve", requestId, ...conn]);
      assert.equal(approve.code, 0, approve.stderr);
      await page.click("#retry");
      await page.waitForSelector("#conn-state[data-phase=open]", WAIT);

      // A node's device pairing request appears live; approve it, then its command surface.
      await page.click("#tab-nodes");
      node = startNode([...conn, "--display-name", "pair-box"], `${dir}/node`, {
        CLAWGATE_NODE_PAIRING_RETRY_MS: "300",
      });
      const devReq = await page.waitForSelector('.pending[data-family="device.pair"]', WAIT);
      assert.match(await devReq.textContent() ?? "", /pair-box \(node-host\) wants role node/);
      await (await devReq.$("button.approve"))!.click();
      const surface = await page.waitForSelector('.pending[data-family="node.pair"]', WAIT);
      await (await surface.$("button.approve"))!.click();
      await page.waitForSelector(
        '.node-row:has-text("pair-box") .approval:text-is("approved")',
        WAIT,
      );
      await node.waitFor(/"state":"approved"/, 20_000);
      assert.deepEqual(problems, [], "no console errors");
    } finally {
      await browser.close();
      if (node) {
        node.signal("SIGTERM");
        await node.status;
      }
      await gw.stop();
    }
  },
});
