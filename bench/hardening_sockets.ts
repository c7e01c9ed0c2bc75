// deno-lint-ignore-file no-console -- a scripted measurement whose product is the printed report
/**
 * Socket-exhaustion figure for issue 11 item 3: a gateway under `ulimit -n 1024` gets 1,100
 * idle TCP connections (nothing sent); prints whether it stays up, whether a session opened
 * before the flood still answers `health`, and whether a new `health` works after the flood.
 * Run: `deno run -A bench/hardening_sockets.ts [count]` (needs `ulimit -n` > count here).
 */
import { GatewayClient } from "../src/transport/gateway_client.ts";
import { operatorConnectParams } from "../src/cli/operator_session.ts";
import { baseEnv, CLAWGATE } from "../tests/helpers/cli.ts";
import { freePort } from "../tests/helpers/net.ts";

const count = Number(Deno.args[0] ?? 1100);
const port = freePort();
const token = "bench-token";
const stateDir = await Deno.makeTempDir();
const child = new Deno.Command("sh", {
  args: ["-c", `ulimit -n 1024; exec "$0" gateway run --port ${port} --token ${token}`, CLAWGATE],
  env: baseEnv({ CLAWGATE_STATE_DIR: stateDir }),
  clearEnv: true,
  stdout: "null",
  stderr: "piped",
  stdin: "null",
}).spawn();
let logs = "";
const pump = (async () => {
  for await (const c of child.stderr.pipeThrough(new TextDecoderStream())) logs += c;
})();
let exit: Deno.CommandStatus | undefined;
child.status.then((s) => (exit = s));
for (let i = 0; i < 400; i++) {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/readyz`);
    await r.body?.cancel();
    if (r.ok) break;
  } catch { /* not yet */ }
  await new Promise((r) => setTimeout(r, 50));
}
const target = { url: `ws://127.0.0.1:${port}`, urlSource: "bench", token };
const open = () =>
  GatewayClient.open({
    url: target.url,
    buildConnect: () => operatorConnectParams(target, ["operator.read"]),
  });
const before = await open();

const t0 = performance.now();
const sockets: Deno.TcpConn[] = [];
let refused = 0;
for (let i = 0; i < count; i++) {
  try {
    sockets.push(await Deno.connect({ hostname: "127.0.0.1", port }));
  } catch {
    refused++;
  }
}
console.log(
  `opened ${sockets.length} idle sockets (${refused} connects failed) in ${
    Math.round(performance.now() - t0)
  } ms`,
);
await new Promise((r) => setTimeout(r, 3_000));
// How many of the idle sockets has the gateway closed by now? (a read returning null = EOF)
let closedByServer = 0;
await Promise.all(sockets.map(async (s) => {
  const buf = new Uint8Array(1);
  const timer = setTimeout(() => s.close(), 8_000);
  try {
    if (await s.read(buf) === null) closedByServer++;
  } catch { /* reset or closed by us */ }
  clearTimeout(timer);
}));
console.log(`gateway closed ${closedByServer}/${sockets.length} idle sockets within ~11 s`);
console.log(`gateway process during flood: ${exit ? `EXITED code ${exit.code}` : "alive"}`);
const sessionOk = await before.request("health").then(() => true, (e) => `${e.message}`);
console.log(`session opened before the flood answers health: ${sessionOk}`);
for (const s of sockets) {
  try {
    s.close();
  } catch { /* closed */ }
}
await new Promise((r) => setTimeout(r, 500));
const after = await open().then(async (c) => {
  await c.request("health");
  c.close();
  return true;
}, (e) => `${e.message}`);
console.log(`new session + health after the flood: ${after}`);
console.log(`gateway process: ${exit ? `EXITED code ${exit.code}` : "alive"}`);
before.close();
try {
  child.kill("SIGTERM");
} catch { /* exited */ }
await child.status;
await pump;
const tail = logs.split("\n").filter((l) => /error|open files|warn/i.test(l)).slice(0, 5);
if (tail.length) console.log("gateway log excerpts:\n  " + tail.join("\n  "));
await Deno.remove(stateDir, { recursive: true });
