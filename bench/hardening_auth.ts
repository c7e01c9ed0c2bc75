// deno-lint-ignore-file no-console -- a scripted measurement whose product is the printed report
/**
 * Password-guessing figure for issue 11 item 5: 500 parallel `connect`s with a wrong password
 * against a `gateway run --auth password` subprocess, timed from the first socket to the last
 * answer, with the answers counted. Runs three setups: the defaults (loopback exempt from the
 * lockout; the 32-per-IP pre-handshake cap also applies), loopback exempt with the cap lifted,
 * and `exemptLoopback:false` with the cap lifted (what a remote address gets).
 * Run: `deno run -A bench/hardening_auth.ts [count]`.
 */
import { startGatewayProcess, tempConfigFile } from "../tests/helpers/cli.ts";
import { connectFlood } from "../tests/helpers/auth_flood.ts";

const count = Number(Deno.args[0] ?? 500);
const noCap = {
  CLAWGATE_MAX_PREAUTH_CONNECTIONS_PER_IP: "100000",
  CLAWGATE_MAX_PREAUTH_CONNECTIONS: "100000",
};
const strict = await tempConfigFile({
  gateway: { auth: { rateLimit: { exemptLoopback: false } } },
});
const setups: Array<[string, { env?: Record<string, string>; configPath?: string }]> = [
  ["defaults (loopback exempt, 32/IP pre-handshake cap)", {}],
  ["loopback exempt, cap lifted", { env: noCap }],
  ["exemptLoopback:false, cap lifted (as a remote address)", { env: noCap, configPath: strict }],
];
for (const [name, o] of setups) {
  const gw = await startGatewayProcess({
    token: null,
    args: ["--auth", "password", "--password", "right-password"],
    ...o,
  });
  const t0 = performance.now();
  const counts = await connectFlood(gw.url, { password: "wrong-password" }, count);
  const ms = Math.round(performance.now() - t0);
  console.log(
    `${name}: ${count} parallel wrong passwords answered in ${ms} ms: ${JSON.stringify(counts)}`,
  );
  await gw.stop();
  await Deno.remove(gw.stateDir, { recursive: true });
}
await Deno.remove(strict.replace(/\/[^/]*$/, ""), { recursive: true });
