// deno-lint-ignore-file no-console -- a scripted measurement whose product is the printed report
/**
 * Event-loop block figure for issue 11 item 6: a paired node logged in to a `gateway run`
 * subprocess sends heavy frames (24 MB of nested `[`, 24 MB of `[{},{},…]`, and the heaviest
 * frames that pass the frame budget) while an operator sends `health` every 5 ms; the longest
 * `health` round trip during each frame is the time the gateway's event loop was blocked.
 * Run: `deno run -A bench/hardening_frames.ts`.
 */
import { generateDeviceIdentity } from "../src/identity/device_identity.ts";
import type { ConnectChallenge } from "../src/protocol/mod.ts";
import { startGatewayProcess } from "../tests/helpers/cli.ts";
import { connectOperator, signedConnect } from "../tests/helpers/node_peer.ts";
import { openRaw } from "../tests/helpers/raw_ws.ts";

const MB24 = 24 * 1024 * 1024;
const req = (params: string) => `{"type":"req","id":"x","method":"node.event","params":${params}}`;
const fill = (unit: string, bytes: number) => unit.repeat(Math.floor(bytes / unit.length));
const frames: Record<string, string> = {
  "24 MB nested [": req(fill("[", MB24)),
  "24 MB [{},{},…]": req("[" + fill("{},", MB24) + "{}]"),
  "24 MB [0,0,…]": req("[" + fill("0,", MB24) + "0]"),
  "in budget: 90,000 objects + 800,000 numbers": req(
    "[" + fill("{},", 90_000 * 3) + fill("0,", 800_000 * 2) + "0]",
  ),
  "24 MB escape-heavy string": req(JSON.stringify({ s: fill('"\\', MB24 / 2) })),
  "in budget: 2,000,000 escapes + 20 MB plain": req(
    JSON.stringify({ e: fill("\n", 2_000_000), s: fill("x", 20 * 1024 * 1024) }),
  ),
  "in budget: 24 MB plain string": req(JSON.stringify({ s: fill("x", MB24) })),
};

const gw = await startGatewayProcess({ env: { CLAWGATE_TICK_INTERVAL_MS: "600000" } });
const identity = await generateDeviceIdentity();
const { client: operator } = await connectOperator(gw.url, gw.token, ["operator.read"]);

async function loggedInNode() {
  const ws = await openRaw(gw.url);
  const challenge = (await ws.frame(1)).payload as ConnectChallenge;
  const params = await signedConnect({ identity, token: gw.token, role: "node" }, challenge);
  ws.send(JSON.stringify({ type: "req", id: "1", method: "connect", params }));
  const hello = await ws.frame(2, 20_000);
  if (!hello.ok) throw new Error(`node refused: ${JSON.stringify(hello)}`);
  return ws;
}

for (const [name, text] of Object.entries(frames)) {
  const ws = await loggedInNode();
  let maxRttMs = 0;
  let stop = false;
  const pinger = (async () => {
    while (!stop) {
      const t = performance.now();
      await operator.request("health");
      maxRttMs = Math.max(maxRttMs, performance.now() - t);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  await new Promise((r) => setTimeout(r, 200));
  const baseline = maxRttMs;
  ws.send(text);
  // Done when the gateway closed the node, or answered the request.
  await Promise.race([ws.closed(120_000), ws.frame(3, 120_000)]).catch(() => {});
  await new Promise((r) => setTimeout(r, 300));
  stop = true;
  await pinger;
  const outcome = ws.frames.length >= 3 ? "answered" : "closed";
  console.log(
    `${name} (${(text.length / 1e6).toFixed(1)} MB): ${outcome}; longest health round trip ` +
      `${Math.round(maxRttMs)} ms (idle baseline ${Math.round(baseline)} ms)`,
  );
  ws.close();
}
operator.close();
await gw.stop();
await Deno.remove(gw.stateDir, { recursive: true });
