/**
 * Robustness: a seeded stream of malformed and hostile frames, before and after hello, against
 * one real `clawgate gateway run`. Each bad frame may close its own connection; the gateway
 * must keep serving (checked after every round) and exit 0 on SIGTERM. The seed is printed so a
 * failure can be replayed (`GARBAGE_SEED=<n>`).
 */
import assert from "node:assert/strict";
import { runClawgate, startGatewayProcess } from "./helpers/cli.ts";
import { connectFrame, openRaw } from "./helpers/raw_ws.ts";

/** mulberry32: a tiny deterministic PRNG so runs are reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function garbage(rand: () => number, token: string): string | Uint8Array {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const big = (n: number) => "x".repeat(n);
  const kinds: Array<() => string | Uint8Array> = [
    () => "",
    () => "null",
    () => "[]",
    () => "{",
    () => '"just a string"',
    () => String(rand()),
    () => JSON.stringify({ type: "req" }),
    () => JSON.stringify({ type: "req", id: "", method: "connect" }),
    () => JSON.stringify({ type: "req", id: 7, method: "health" }),
    () => JSON.stringify({ type: "res", id: "1", ok: true }),
    () => JSON.stringify({ type: "event", event: "node.invoke.result", payload: {} }),
    () => JSON.stringify({ type: "req", id: "1", method: "connect", params: null }),
    () => JSON.stringify({ type: "req", id: "1", method: "connect", params: { minProtocol: "4" } }),
    () => connectFrame({ client: { id: "cli", version: "", platform: "linux", mode: "cli" } }),
    () => connectFrame({ role: "admin", auth: { token } }),
    () => connectFrame({ role: "node", auth: { token } }),
    () =>
      connectFrame({
        device: { id: "a", publicKey: "b", signature: "c", signedAt: 1, nonce: "d" },
        auth: { token },
      }),
    () => connectFrame({ auth: { token: big(10_000) } }),
    () =>
      connectFrame({ scopes: Array.from({ length: 2_000 }, (_, i) => `s${i}`), auth: { token } }),
    () => JSON.stringify({ type: "req", id: "9", method: "node.invoke", params: { nodeId: "x" } }),
    () =>
      JSON.stringify({
        type: "req",
        id: "9",
        method: "node.invoke.result",
        params: { id: "x", nodeId: "y", ok: true },
      }),
    () => JSON.stringify({ type: "req", id: "9", method: big(5_000) }),
    () =>
      JSON.stringify({
        type: "req",
        id: "9",
        method: "status",
        params: { __proto__: { polluted: true } },
      }),
    () =>
      '{"type":"req","id":"1","method":"health","params":' + "[".repeat(5_000) + "]".repeat(5_000) +
      "}",
    () => new Uint8Array(Array.from({ length: 64 }, () => Math.floor(rand() * 256))),
    () => "\u0000\uffff\ud800",
  ];
  return pick(kinds)();
}

Deno.test({
  name: "gateway survives a seeded stream of malformed frames before and after hello",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const seed = Number(Deno.env.get("GARBAGE_SEED") ?? Math.floor(Math.random() * 2 ** 31));
    const rand = prng(seed);
    const gw = await startGatewayProcess({ env: { CLAWGATE_HANDSHAKE_TIMEOUT_MS: "2000" } });
    try {
      for (let round = 0; round < 12; round++) {
        const sockets = await Promise.all(Array.from({ length: 8 }, () => openRaw(gw.url)));
        for (const [i, ws] of sockets.entries()) {
          await ws.frame(1); // challenge
          if (i % 2 === 1) {
            // half the sockets complete the handshake first, then misbehave as a session
            ws.send(connectFrame({ auth: { token: gw.token } }));
            await ws.frame(2);
          }
          for (let k = 0; k < 6; k++) ws.send(garbage(rand, gw.token));
        }
        await new Promise((r) => setTimeout(r, 100));
        for (const ws of sockets) ws.close();
        const h = await runClawgate(["health", "--json", "--url", gw.url, "--token", gw.token]);
        assert.equal(
          h.code,
          0,
          `seed ${seed} round ${round}: ${h.stdout}${h.stderr}\n${gw.logs().slice(-2000)}`,
        );
      }
      assert.doesNotMatch(gw.logs(), /uncaught|panicked|TypeError/i, `seed ${seed}`);
    } finally {
      assert.equal(await gw.stop(), 0, `seed ${seed}: ${gw.logs().slice(-2000)}`);
      await Deno.remove(gw.stateDir, { recursive: true });
    }
  },
});
