import assert from "node:assert/strict";
import { RpcError } from "../../protocol/mod.ts";
import { InvokeCache, type NodeInvokeOk } from "./invoke_cache.ts";

const ok = (payloadJSON: string): NodeInvokeOk => ({
  ok: true,
  nodeId: "n",
  command: "system.run",
  payload: JSON.parse(payloadJSON),
  payloadJSON,
});
const settle = () => new Promise((r) => setTimeout(r, 0));

Deno.test("InvokeCache joins in-flight invokes and replays finished ones without running again", async () => {
  const cache = new InvokeCache();
  let runs = 0;
  let finish!: (v: NodeInvokeOk) => void;
  const run = () => {
    runs++;
    return new Promise<NodeInvokeOk>((r) => (finish = r));
  };
  const a = cache.run("k", run);
  const b = cache.run("k", run);
  assert.deepEqual(cache.stats(), { inFlight: 1, finished: 0, bytes: 0 });
  finish(ok('{"stdout":"hi"}'));
  assert.deepEqual(await a, await b);
  await settle();
  assert.deepEqual(await cache.run("k", run), ok('{"stdout":"hi"}'));
  assert.equal(runs, 1);
  assert.equal(cache.stats().finished, 1);
});

Deno.test("InvokeCache keeps at most maxEntries finished records, oldest dropped first", async () => {
  const cache = new InvokeCache({ maxEntries: 10, maxBytes: 1e9 });
  for (let i = 0; i < 100; i++) await cache.run(`k${i}`, () => Promise.resolve(ok(`{"i":${i}}`)));
  await settle();
  assert.equal(cache.stats().finished, 10);
  let reran = false;
  await cache.run("k99", () => (reran = true, Promise.resolve(ok("{}"))));
  assert.equal(reran, false, "the newest record is kept");
  await cache.run("k0", () => (reran = true, Promise.resolve(ok("{}"))));
  assert.equal(reran, true, "the oldest record was dropped");
});

Deno.test("InvokeCache keeps at most maxBytes of results; an oversize result is refused on retry, not rerun", async () => {
  const maxBytes = 4 * 1024 * 1024;
  const cache = new InvokeCache({ maxBytes, maxEntryBytes: 1024 * 1024 + 100 });
  const mb = JSON.stringify({ stdout: "x".repeat(1024 * 1024 - 20) });
  for (let i = 0; i < 50; i++) await cache.run(`k${i}`, () => Promise.resolve(ok(mb)));
  await settle();
  const { finished, bytes } = cache.stats();
  assert.ok(bytes <= maxBytes, `bytes ${bytes} over the cap`);
  assert.equal(finished, 3, "three 1 MiB results fit under 4 MiB with bookkeeping");

  const huge = JSON.stringify({ stdout: "y".repeat(2 * 1024 * 1024) });
  let runs = 0;
  const first = await cache.run("big", () => (runs++, Promise.resolve(ok(huge))));
  assert.equal(first.payloadJSON, huge, "the caller still gets the whole result");
  await settle();
  assert.ok(cache.stats().bytes <= maxBytes);
  await assert.rejects(
    cache.run("big", () => (runs++, Promise.resolve(ok(huge)))),
    (e: unknown) => e instanceof RpcError && /too large to keep/.test(e.message),
  );
  assert.equal(runs, 1);
});

Deno.test("InvokeCache expires records after ttlMs and forgets refusals", async () => {
  let now = 0;
  const cache = new InvokeCache({ ttlMs: 1000 }, () => now);
  await cache.run("a", () => Promise.resolve(ok("1")));
  now = 500;
  await cache.run("b", () => Promise.resolve(ok("2")));
  await settle();
  now = 1200;
  cache.run("c", () => Promise.resolve(ok("3")));
  assert.equal(cache.stats().finished, 1, "a expired, b not yet");
  now = 5000;
  const refused = new RpcError("INVALID_REQUEST", "no");
  await assert.rejects(cache.run("d", () => Promise.reject(refused), () => true));
  await settle();
  assert.equal(cache.stats().inFlight, 0);
  assert.equal(cache.stats().finished, 1, "only c: b expired, the refusal d left no record");
  const failed = new RpcError("UNAVAILABLE", "node failed");
  await assert.rejects(cache.run("e", () => Promise.reject(failed)));
  await settle();
  await assert.rejects(cache.run("e", () => Promise.resolve(ok("4"))), (e) => e === failed);
});
