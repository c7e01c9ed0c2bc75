// deno-lint-ignore-file no-console -- a scripted measurement whose product is the printed report
/**
 * Remote mode figures for the issue-13 note. A scripted measurement, not a timed test:
 * `deno run -A bench/remote_health.ts [--iterations N]` (default 10 per figure).
 *
 * Setup: a real sshd (tests/helpers/sshd.ts) in front of `clawgate gateway run`, and a state dir
 * whose config selects them (`gateway.mode: "remote"`, `transport: "ssh"`). Figures (median,
 * min, max over N runs, wall clock around the whole CLI process via scripts/clawgate):
 *
 * 1. cold `clawgate health`: no tunnel running, so the command opens one and tears it down;
 * 2. the ssh part of (1): `withTunnel()` in-process, from spawning ssh to the gateway's
 *    `connect.challenge` arriving through the forward (`TunnelUse.setupMs`), plus the teardown;
 * 3. `clawgate health` through a background tunnel (`tunnel up -d`, reused);
 * 4. reference: `clawgate health --url ws://127.0.0.1:<gateway>` straight to the gateway (no
 *    ssh at all): the CLI's own start-up and handshake cost.
 *
 * Everything binds 127.0.0.1; every process is stopped in `finally`.
 * @module
 */
import { runClawgate, startGatewayProcess } from "../tests/helpers/cli.ts";
import { freePort } from "../tests/helpers/net.ts";
import { HAVE_SSHD, sshRemoteBlock, startSshd } from "../tests/helpers/sshd.ts";
import { resolveRemote } from "../src/tunnel/remote_target.ts";
import { withTunnel } from "../src/tunnel/with_tunnel.ts";

const iterations = Number(
  Deno.args[Deno.args.indexOf("--iterations") + 1] ?? 10,
) || 10;
const TOKEN = "bench-remote-token-0123456789";

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const med = s[Math.floor(s.length / 2)];
  return `median ${med.toFixed(0)} ms (min ${s[0].toFixed(0)}, max ${
    s.at(-1)!.toFixed(0)
  }, n=${s.length})`;
}

async function timeCli(args: string[], env: Record<string, string>): Promise<number> {
  const t0 = performance.now();
  const r = await runClawgate(args, { env });
  const ms = performance.now() - t0;
  if (r.code !== 0) throw new Error(`clawgate ${args.join(" ")} → ${r.code}: ${r.stderr}`);
  return ms;
}

if (!HAVE_SSHD) {
  console.error("bench/remote_health.ts needs /usr/sbin/sshd (openssh-server)");
  Deno.exit(1);
}
const sshd = await startSshd();
const gw = await startGatewayProcess({ token: TOKEN });
const dir = await Deno.makeTempDir({ prefix: "clawgate-bench-remote-" });
const config = {
  gateway: {
    mode: "remote",
    port: freePort(),
    remote: sshRemoteBlock(sshd, gw.port, { token: TOKEN }),
  },
};
await Deno.writeTextFile(`${dir}/clawgate.json`, JSON.stringify(config));
const env = { CLAWGATE_STATE_DIR: dir };
try {
  await timeCli(["health"], env); // warm-up (deno's module cache, sshd's first accept)
  const cold: number[] = [];
  for (let i = 0; i < iterations; i++) cold.push(await timeCli(["health"], env));

  const route = resolveRemote(config as never, { env: () => undefined })!.ssh!;
  const setup: number[] = [];
  const whole: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    await withTunnel(route, {
      stateDir: dir,
      signal: new AbortController().signal,
      notify: () => {},
      localPort: freePort(),
    }, (use) => Promise.resolve(void setup.push(use.setupMs)));
    whole.push(performance.now() - t0);
  }

  const up = await runClawgate(["tunnel", "up", "-d"], { env });
  if (up.code !== 0) throw new Error(`tunnel up -d → ${up.code}: ${up.stderr}`);
  const reused: number[] = [];
  for (let i = 0; i < iterations; i++) reused.push(await timeCli(["health"], env));
  await runClawgate(["tunnel", "down"], { env });

  const direct: number[] = [];
  for (let i = 0; i < iterations; i++) {
    direct.push(await timeCli(["health", "--url", gw.url, "--token", TOKEN], env));
  }
  console.log(`remote health over ssh (OpenSSH on 127.0.0.1, ${iterations} runs each, wall clock)`);
  console.log(`1. cold \`health\`, on-demand tunnel:       ${stats(cold)}`);
  console.log(`2. ssh part: spawn → challenge through it:  ${stats(setup)}`);
  console.log(`   ssh part incl. teardown:                 ${stats(whole)}`);
  console.log(`3. \`health\` through a reused bg tunnel:    ${stats(reused)}`);
  console.log(`4. reference \`health --url\` (no ssh):       ${stats(direct)}`);
} finally {
  await runClawgate(["tunnel", "down", "--all"], { env }).catch(() => {});
  await gw.stop();
  await sshd.stop();
  await Deno.remove(dir, { recursive: true }).catch(() => {});
}
