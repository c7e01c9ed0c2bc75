/**
 * Dead link vs dead gateway, with the real ssh, a real sshd and the real gateway (issue 13
 * item 7). A SIGSTOPped sshd session (what a laptop sleep or a network change leaves: TCP up,
 * nothing answers) must be reported as a dead link and end in an ssh restart by the link check,
 * not by ssh's own ServerAlive timeout (15 s × 3); a stopped gateway behind a live link is
 * `gateway-down` with the same ssh. Timing figures: bench/tunnel_recovery.ts.
 * @module
 */
import assert from "node:assert/strict";
import { startGatewayProcess } from "./helpers/cli.ts";
import { HAVE_SSHD, startSshd } from "./helpers/sshd.ts";
import { superviseTunnel } from "./helpers/supervised_tunnel.ts";
import { healthThroughTunnel } from "../src/tunnel/health_check.ts";

const TOKEN = "dead-link-test-token-0123456789";
const opts = { ignore: !HAVE_SSHD, sanitizeResources: false, sanitizeOps: false };

Deno.test({
  name: "stalled sshd session → link-down (dead-link), ssh restarted by us, health works again",
  ...opts,
}, async () => {
  const sshd = await startSshd();
  const gw = await startGatewayProcess({ token: TOKEN });
  const t = superviseTunnel(sshd, gw.port);
  try {
    const up = await t.waitFor((e) => e.state === "up", 30_000);
    const url = `ws://127.0.0.1:${t.localPort}`;
    await healthThroughTunnel(url, { token: TOKEN }, 10_000);

    const from = t.events.length;
    const stalled = await sshd.stallSessions();
    assert.ok(stalled.length > 0, "an sshd session process to stop");
    const down = await t.waitFor((e) => e.state === "link-down", 60_000, from);
    assert.equal(down.kind, "dead-link");
    assert.equal(down.pid, up.pid, "the ssh that was up is the one declared dead");
    assert.match(down.reason ?? "", /dead link: sshd did not answer/);
    // The restart is ours: ssh's ServerAlive timeout would classify as "timeout".
    const backoff = await t.waitFor((e) => e.state === "backoff", 30_000, from);
    assert.equal(backoff.kind, "dead-link");
    const again = await t.waitFor((e) => e.state === "up", 60_000, from);
    assert.notEqual(again.pid, up.pid, "a new ssh");
    const between = t.events.slice(from, t.events.indexOf(again)).map((e) => e.state);
    assert.ok(!between.includes("gateway-down"), `not blamed on the gateway: ${between}`);
    assert.deepEqual(between, ["link-down", "backoff", "connecting"]);
    const health = await healthThroughTunnel(url, { token: TOKEN }, 10_000) as { ok?: boolean };
    assert.equal(health.ok, true);
  } finally {
    await sshd.resumeSessions();
    await t.stop();
    await gw.stop();
    await sshd.stop();
  }
});

Deno.test({
  name: "stopped gateway behind a live link → gateway-down, same ssh; refused port → gateway-down",
  ...opts,
}, async () => {
  const sshd = await startSshd();
  const gw = await startGatewayProcess({ token: TOKEN });
  const t = superviseTunnel(sshd, gw.port, { probeIntervalMs: 500, probeTimeoutMs: 2000 });
  try {
    const up = await t.waitFor((e) => e.state === "up", 30_000);
    let from = t.events.length;
    gw.kill("SIGSTOP");
    const hung = await t.waitFor((e) => e.state !== "up", 60_000, from);
    assert.equal(hung.state, "gateway-down", JSON.stringify(hung));
    assert.equal(hung.pid, up.pid);
    assert.match(hung.reason ?? "", /did not answer|timed out|connect\.challenge/i);
    gw.kill("SIGCONT");
    const back = await t.waitFor((e) => e.state === "up", 30_000, from);
    assert.equal(back.pid, up.pid, "ssh was never restarted");

    from = t.events.length;
    await gw.stop();
    const refused = await t.waitFor((e) => e.state !== "up", 30_000, from);
    assert.equal(refused.state, "gateway-down", JSON.stringify(refused));
    assert.equal(refused.pid, up.pid);
    assert.match(refused.reason ?? "", /open failed: connect failed/);
  } finally {
    gw.kill("SIGCONT");
    await t.stop();
    await gw.stop();
    await sshd.stop();
  }
});
