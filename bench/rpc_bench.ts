/**
 * Benchmarks: frame decoding and one `health` round trip on an open operator session against
 * an in-process gateway on 127.0.0.1 (no process start-up in the numbers).
 * Run: `deno task bench`.
 */
import { decodeFrame } from "../src/protocol/mod.ts";
import { startGateway } from "../src/gateway/server.ts";
import { silentLogger } from "../src/platform/log.ts";
import { GatewayClient } from "../src/transport/gateway_client.ts";
import { operatorConnectParams } from "../src/cli/operator_session.ts";

const connectText =
  Deno.readTextFileSync(new URL("../tests/fixtures/wire/node-connect.jsonl", import.meta.url))
    .split("\n").map((l) => l && JSON.parse(l)).find((r) => r?.frame?.method === "connect").frame;
const connectJson = JSON.stringify(connectText);

Deno.bench("decodeFrame(node connect, ~1.3 KB)", () => {
  decodeFrame(connectJson);
});

const token = "bench-token";
const gw = await startGateway({
  info: {
    host: "127.0.0.1",
    port: 0,
    bind: "loopback",
    auth: { mode: "token", token },
    tickIntervalMs: 30_000,
    autoApproveLocal: true,
    autoApproveNodes: false,
  },
  loaded: { path: "(bench)", exists: false, config: {}, stateDir: await Deno.makeTempDir() },
  logger: silentLogger,
});
const target = { url: `ws://127.0.0.1:${gw.port}`, urlSource: "bench", token };
const client = await GatewayClient.open({
  url: target.url,
  buildConnect: () => operatorConnectParams(target, ["operator.read"]),
});

Deno.bench("health round trip on an open session", async () => {
  await client.request("health");
});

Deno.bench("connect + hello + close (one operator handshake)", async () => {
  const c = await GatewayClient.open({
    url: target.url,
    buildConnect: () => operatorConnectParams(target, ["operator.read"]),
  });
  c.close();
});

globalThis.addEventListener("unload", () => {
  client.close();
  void gw.stop();
});
