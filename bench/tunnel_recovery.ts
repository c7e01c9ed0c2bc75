// deno-lint-ignore-file no-console -- a scripted measurement whose product is the printed report
/**
 * Time from a black-holed ssh link to a working `health` through the tunnel (issue 13 item 7).
 * A scripted measurement, not a timed test: `deno run -A bench/tunnel_recovery.ts [--runs N]`
 * (default 3).
 *
 * Per run: the real gateway behind a real sshd (tests/helpers/sshd.ts), the real
 * {@linkcode TunnelSupervisor} with its defaults (a check through the forward every 2 s; 2 s + 2 s of silence = dead link) driving the
 * real ssh; once `health` works through the forward, every sshd session process is SIGSTOPped
 * (TCP stays up, nothing answers: what a sleep or a network change leaves), then `health` is
 * retried (2 s deadline each) until it succeeds. Printed: stall → `link-down`, stall → new ssh
 * `up`, stall → first successful `health`. Before the link check the same stall took ~61 s
 * (ssh's ServerAlive 15 s × 3 plus backoff).
 * @module
 */
import { startGatewayProcess } from "../tests/helpers/cli.ts";
import { startSshd } from "../tests/helpers/sshd.ts";
import { superviseTunnel } from "../tests/helpers/supervised_tunnel.ts";
import { healthThroughTunnel } from "../src/tunnel/health_check.ts";

const runs = Number(Deno.args[Deno.args.indexOf("--runs") + 1]) || 3;
const TOKEN = "bench-tunnel-recovery-token-0123456789";
const rows: number[][] = [];
for (let run = 0; run < runs; run++) {
  const sshd = await startSshd();
  const gw = await startGatewayProcess({ token: TOKEN });
  const t = superviseTunnel(sshd, gw.port);
  try {
    await t.waitFor((e) => e.state === "up", 30_000);
    const url = `ws://127.0.0.1:${t.localPort}`;
    await healthThroughTunnel(url, { token: TOKEN }, 10_000);
    const from = t.events.length;
    const stallAt = Date.now();
    await sshd.stallSessions();
    let healthAt = 0;
    while (Date.now() - stallAt < 120_000) {
      try {
        await healthThroughTunnel(url, { token: TOKEN }, 2000);
        healthAt = Date.now();
        break;
      } catch { /* still down */ }
      await new Promise((r) => setTimeout(r, 100));
    }
    const down = t.events.slice(from).find((e) => e.state === "link-down");
    const up = t.events.slice(from).find((e) => e.state === "up");
    rows.push([
      down ? down.ts - stallAt : NaN,
      up ? up.ts - stallAt : NaN,
      healthAt ? healthAt - stallAt : NaN,
    ]);
    console.log(
      `run ${run + 1}: link-down after ${rows.at(-1)![0]} ms, ssh up again after ${
        rows.at(-1)![1]
      } ms, health works after ${rows.at(-1)![2]} ms`,
    );
  } finally {
    await sshd.resumeSessions();
    await t.stop();
    await gw.stop();
    await sshd.stop();
  }
}
const median = (i: number) => rows.map((r) => r[i]).sort((a, b) => a - b)[rows.length >> 1];
console.log(
  `median of ${runs}: link-down ${median(0)} ms, up ${median(1)} ms, health ${
    median(2)
  } ms after the stall`,
);
