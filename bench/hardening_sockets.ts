// deno-lint-ignore-file no-console -- a scripted measurement whose product is the printed report
/**
 * Socket-exhaustion figure for issue 11 item 3: a gateway under `ulimit -n 1024` gets 1,100
 * idle TCP connections (nothing sent); prints whether it stays up, whether a session opened
 * before the flood still answers `health`, and whether a new `health` works after the flood.
 * Run: `deno run -A bench/hardening_sockets.ts [count] [--no-caps]` (needs `ulimit -n` > count
 * here). `--no-caps` lifts the pre-handshake caps so the flood really exhausts the gateway's
 * descriptors (the EMFILE path of the accept loop).
 */
import { connectOperator } from "../tests/helpers/node_peer.ts";
import { startGatewayProcess } from "../tests/helpers/cli.ts";

const count = Number(Deno.args.find((a) => /^\d+$/.test(a)) ?? 1100);
const noCaps = Deno.args.includes("--no-caps");
const gw = await startGatewayProcess({
  maxOpenFiles: 1024,
  env: noCaps
    ? {
      CLAWGATE_MAX_PREAUTH_CONNECTIONS_PER_IP: "100000",
      CLAWGATE_MAX_PREAUTH_CONNECTIONS: "100000",
    }
    : {},
});
let exit: Deno.CommandStatus | undefined;
gw.status.then((s) => (exit = s));
const before = (await connectOperator(gw.url, gw.token, ["operator.read"])).client;

const t0 = performance.now();
const sockets: Deno.TcpConn[] = [];
let refused = 0;
for (let i = 0; i < count; i++) {
  try {
    sockets.push(await Deno.connect({ hostname: "127.0.0.1", port: gw.port }));
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
// How many idle sockets has the gateway answered 503 / closed (EOF within ~11 s)?
let refused503 = 0;
let closedByServer = 0;
await Promise.all(sockets.map(async (s) => {
  const buf = new Uint8Array(256);
  let text = "";
  const timer = setTimeout(() => s.close(), 8_000);
  try {
    for (let n = await s.read(buf); n !== null; n = await s.read(buf)) {
      text += new TextDecoder().decode(buf.subarray(0, n));
    }
    closedByServer++;
  } catch { /* reset, or closed by us at the deadline */ }
  if (text.startsWith("HTTP/1.1 503")) refused503++;
  clearTimeout(timer);
}));
console.log(
  `gateway closed ${closedByServer}/${sockets.length} idle sockets within ~11 s ` +
    `(${refused503} answered 503 at once, the rest by the header timeout)`,
);
console.log(`gateway process during flood: ${exit ? `EXITED code ${exit.code}` : "alive"}`);
const sessionOk = await before.request("health").then(() => true, (e) => `${e.message}`);
console.log(`session opened before the flood answers health: ${sessionOk}`);
for (const s of sockets) {
  try {
    s.close();
  } catch { /* closed */ }
}
await new Promise((r) => setTimeout(r, 500));
const after = await connectOperator(gw.url, gw.token, ["operator.read"]).then(
  async ({ client }) => {
    await client.request("health");
    client.close();
    return true;
  },
  (e) => `${e.message}`,
);
console.log(`new session + health after the flood: ${after}`);
console.log(`gateway process: ${exit ? `EXITED code ${exit.code}` : "alive"}`);
before.close();
await gw.stop();
const tail = gw.logs().split("\n").filter((l) => /error|open files|warn/i.test(l)).slice(0, 5);
if (tail.length) console.log("gateway log excerpts:\n  " + tail.join("\n  "));
await Deno.remove(gw.stateDir, { recursive: true });
