/**
 * The Control UI in a real Chromium against a real gateway and node process: wrong token
 * refused in plain words, login, a node appearing live, approving its pending surface,
 * `echo hi` with exit 0, reconnect after a gateway restart, and no authenticated socket from a
 * page on another origin. Screenshots go to .cache/control-ui/.
 * @module
 */
import assert from "node:assert/strict";
import {
  chromiumAvailable,
  launchChromium,
  openPage,
  screenshot as shot,
  uiLogin as login,
} from "./helpers/browser.ts";
import { startGatewayProcess } from "./helpers/cli.ts";
import { startNode } from "./helpers/node_process.ts";
import { connectFrame, openRaw } from "./helpers/raw_ws.ts";

const browserOk = chromiumAvailable();
const WAIT = { timeout: 20_000 };

Deno.test({
  name: "control UI: login, live node, approve, run echo hi, restart, wrong token",
  ignore: !browserOk,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    let gw = await startGatewayProcess();
    const nodeDir = await Deno.makeTempDir({ prefix: "clawgate-ui-node-" });
    const browser = await launchChromium();
    let node: ReturnType<typeof startNode> | undefined;
    try {
      const { page, problems } = await openPage(browser);
      const origin = `http://127.0.0.1:${gw.port}`;

      // Wrong token: refused with a clear message, back at the login form.
      await page.goto(`${origin}/`);
      await login(page, "not-the-token");
      const err = await page.waitForSelector("#login-error", WAIT);
      assert.match(await err.textContent() ?? "", /^Wrong token: the gateway refused it/);
      assert.equal(page.url(), `${origin}/`, "the token never goes into the URL");

      // Right token: connected, health and presence shown.
      await login(page, gw.token);
      await page.waitForSelector("#conn-state[data-phase=open]", WAIT);
      await page.waitForSelector("#health-ok", WAIT);
      assert.equal(page.url(), `${origin}/`);
      await shot(page, "overview");

      // A node connects: it shows up live with a pending surface; approve it from the page.
      // Presence updates live from `presence` events.
      node = startNode(["--url", gw.url, "--token", gw.token, "--display-name", "ui-box"], nodeDir);
      await page.waitForSelector('#presence tr:has-text("ui-box"):has-text("node")', WAIT);
      await page.click("#tab-nodes");
      const pending = await page.waitForSelector('.pending[data-family="node.pair"]', WAIT);
      assert.match(await pending.textContent() ?? "", /ui-box wants commands .*system\.run/);
      await page.waitForSelector('.node-row:has-text("ui-box"):has-text("connected")', WAIT);
      await shot(page, "nodes-pending");
      await (await pending.$("button.approve"))!.click();
      await page.waitForSelector(
        '.node-row:has-text("ui-box") .approval:text-is("approved")',
        WAIT,
      );
      await page.waitForSelector("#pending-empty", WAIT);
      await node.waitFor(/"state":"approved"/, 20_000);

      // Run `echo hi` on it.
      await page.click("#tab-invoke");
      await page.fill("#invoke-line", "echo hi");
      await page.click("#invoke-run");
      await page.waitForSelector("#invoke-exit", WAIT);
      assert.equal(await page.textContent("#invoke-exit"), "0");
      assert.equal(await page.textContent("#invoke-stdout"), "hi\n");
      await shot(page, "invoke");

      // The gateway restarts on the same port: the page says so and reconnects by itself.
      const { port, token, stateDir } = gw;
      await gw.stop();
      const down = await page.waitForSelector("#conn-state[data-phase=retrying]", WAIT);
      assert.match(await down.textContent() ?? "", /^The gateway is restarting\. Reconnecting in/);
      gw = await startGatewayProcess({ port, token, stateDir });
      await page.waitForSelector("#conn-state[data-phase=open]", { timeout: 40_000 });
      await page.click("#tab-nodes");
      await page.waitForSelector('.node-row:has-text("ui-box"):has-text("connected")', {
        timeout: 40_000,
      });

      assert.deepEqual(problems, [], "no console errors (CSP violations show up here)");
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

Deno.test({
  name: "control UI: a page from another origin cannot open an authenticated socket",
  ignore: !browserOk,
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const gw = await startGatewayProcess();
    // A hostile page on another origin that knows the token and tries every client identity.
    const evil = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      () => new Response(evilPage(gw.port, gw.token), { headers: { "content-type": "text/html" } }),
    );
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${evil.addr.port}/`);
      await page.waitForFunction(
        () => (globalThis as { done?: boolean }).done === true,
        null,
        WAIT,
      );
      const results = await page.evaluate(() =>
        (globalThis as unknown as { results: Array<{ id: string; ok: boolean; detail: string }> })
          .results
      );
      assert.equal(results.length, 3);
      for (const r of results) {
        assert.ok(!r.ok, `${r.id} got a session: ${r.detail}`);
        assert.match(r.detail, /CONTROL_UI_ORIGIN_NOT_ALLOWED/);
      }
    } finally {
      await browser.close();
      await evil.shutdown();
      await gw.stop();
    }
  },
});

/** A page that tries `connect` with the token as cli, gateway-client and the Control UI. */
function evilPage(port: number, token: string): string {
  return `<!doctype html><script>
globalThis.results = [];
const ids = [["cli","cli"],["gateway-client","backend"],["openclaw-control-ui","webchat"]];
function attempt([id, mode]) {
  return new Promise((resolve) => {
    const ws = new WebSocket("ws://127.0.0.1:${port}/");
    const done = (ok, detail) => { resolve({ id, ok, detail }); try { ws.close(); } catch {} };
    ws.onerror = () => done(false, "socket error");
    ws.onclose = (e) => done(false, "closed " + e.code + " " + e.reason);
    ws.onmessage = (ev) => {
      const f = JSON.parse(ev.data);
      if (f.event === "connect.challenge") {
        ws.send(JSON.stringify({ type: "req", id: "1", method: "connect", params: {
          minProtocol: 4, maxProtocol: 4, role: "operator", scopes: ["operator.admin"],
          client: { id, mode, version: "1", platform: "web" }, auth: { token: ${
    JSON.stringify(token)
  } } } }));
      } else if (f.type === "res") {
        done(!!f.ok, JSON.stringify(f.ok ? f.payload.auth : f.error));
      }
    };
  });
}
(async () => {
  for (const c of ids) globalThis.results.push(await attempt(c));
  globalThis.done = true;
})();
</script>`;
}

Deno.test("control UI: served with strict headers; curl keeps the JSON; nothing else new", async () => {
  const gw = await startGatewayProcess();
  try {
    const base = `http://127.0.0.1:${gw.port}`;
    const page = await fetch(`${base}/`, { headers: { accept: "text/html" } });
    const html = await page.text();
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    assert.match(html, /<script type="module" src="\/ui\/app\.js"><\/script>/);
    assert.doesNotMatch(html, /<script>/, "no inline script");
    const csp = page.headers.get("content-security-policy") ?? "";
    for (const d of ["default-src 'none'", "script-src 'self'", "frame-ancestors 'none'"]) {
      assert.ok(csp.includes(d), `CSP has ${d}: ${csp}`);
    }
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(page.headers.get("x-frame-options"), "DENY");
    assert.equal(page.headers.get("referrer-policy"), "no-referrer");
    assert.equal(page.headers.get("x-content-type-options"), "nosniff");

    const js = await fetch(`${base}/ui/app.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get("content-type") ?? "", /^text\/javascript/);
    assert.equal(js.headers.get("content-encoding"), "gzip", "fetch asks for gzip by default");
    assert.ok((await js.text()).includes("openclaw-control-ui"));
    assert.equal(js.headers.get("x-frame-options"), "DENY");
    const missing = await fetch(`${base}/ui/nope.js`);
    await missing.body?.cancel();
    assert.equal(missing.status, 404);

    // Non-browser clients see the JSON service description as before.
    const json = await (await fetch(`${base}/`)).json();
    assert.equal(json.service, "clawgate gateway");
  } finally {
    await gw.stop();
  }
});

Deno.test("control UI: gateway.controlUi.enabled false turns it off", async () => {
  const dir = await Deno.makeTempDir({ prefix: "clawgate-ui-off-" });
  const configPath = `${dir}/openclaw.json`;
  await Deno.writeTextFile(
    configPath,
    JSON.stringify({ gateway: { controlUi: { enabled: false } } }),
  );
  const gw = await startGatewayProcess({ configPath });
  try {
    const base = `http://127.0.0.1:${gw.port}`;
    const page = await fetch(`${base}/`, { headers: { accept: "text/html" } });
    assert.equal((await page.json()).service, "clawgate gateway");
    assert.equal(page.headers.get("content-security-policy"), null);
    const js = await fetch(`${base}/ui/app.js`, { headers: { accept: "text/html" } });
    assert.equal((await js.json()).service, "clawgate gateway", "no UI asset served");
  } finally {
    await gw.stop();
  }
});

Deno.test("control UI: a Control UI connect without device identity is refused, as upstream", async () => {
  const gw = await startGatewayProcess();
  const ws = await openRaw(`${gw.url}/`);
  try {
    await ws.frame(1);
    ws.send(connectFrame({
      client: { id: "openclaw-control-ui", mode: "webchat", version: "t", platform: "web" },
      auth: { token: gw.token },
      scopes: ["operator.admin"],
    }));
    const res = await ws.frame(2);
    assert.equal(res.ok, false);
    const error = res.error as { message: string; details: { code: string } };
    assert.equal(error.details.code, "CONTROL_UI_DEVICE_IDENTITY_REQUIRED");
    assert.equal(
      error.message,
      "control ui requires device identity (use HTTPS or localhost secure context)",
    );
    assert.equal((await ws.closed()).code, 1008);
  } finally {
    ws.close();
    await gw.stop();
  }
});

Deno.test("control UI: wrong tokens from a loopback browser origin end in a lockout", async () => {
  const gw = await startGatewayProcess();
  const origin = { origin: `http://127.0.0.1:${gw.port}` };
  const attempt = async (token: string, headers?: Record<string, string>) => {
    const ws = await openRaw(`${gw.url}/`, headers);
    try {
      await ws.frame(1);
      ws.send(connectFrame({ auth: { token } }));
      return await ws.frame(2, 15_000) as {
        ok: boolean;
        error?: { details?: { code?: string }; retryAfterMs?: number };
      };
    } finally {
      ws.close();
    }
  };
  try {
    for (let i = 0; i < 10; i++) {
      const res = await attempt(`wrong-${i}`, origin);
      assert.equal(res.error?.details?.code, "AUTH_TOKEN_MISMATCH");
    }
    const locked = await attempt(gw.token, origin);
    assert.equal(locked.ok, false, "even the right token is refused while locked out");
    assert.equal(locked.error?.details?.code, "AUTH_RATE_LIMITED");
    assert.ok((locked.error?.retryAfterMs ?? 0) > 0);
    // The CLI (no Origin header) is not locked out by a browser's failures.
    assert.equal((await attempt(gw.token)).ok, true);
  } finally {
    await gw.stop();
  }
});
