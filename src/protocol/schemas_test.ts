import assert from "node:assert/strict";
import * as v from "valibot";
import {
  ConnectParamsSchema,
  decodeFrame,
  formatIssues,
  HealthResultSchema,
  HealthSnapshotSchema,
  HelloOkReadSchema,
  HelloOkSchema,
  NodeIdParamsSchema,
  NodeRenameParamsSchema,
  SystemRunParamsSchema,
} from "./mod.ts";

const connect = {
  minProtocol: 4,
  maxProtocol: 4,
  client: { id: "cli", version: "1.0.0", platform: "linux", mode: "cli" },
};

Deno.test("closed schemas reject unknown keys and name them with their path", () => {
  const r = v.safeParse(ConnectParamsSchema, { ...connect, client: { ...connect.client, x: 1 } });
  assert.ok(!r.success);
  assert.equal(formatIssues(r.issues), "at /client/x: unexpected key");
  const f = decodeFrame('{"type":"req","id":"1","method":"health","extra":1}');
  assert.ok(!f.ok && f.message === "at /extra: unexpected key");
  assert.ok(!v.is(HealthSnapshotSchema, { ok: true, modelRuntime: {} }));
});

Deno.test("formatIssues() names a missing key and a wrong enum value with their paths", () => {
  const r = v.safeParse(ConnectParamsSchema, {
    ...connect,
    client: { ...connect.client, id: "x" },
  });
  assert.ok(!r.success);
  assert.match(formatIssues(r.issues), /^at \/client\/id: Invalid type: Expected \("webchat-ui"/);
  const missing = v.safeParse(ConnectParamsSchema, { maxProtocol: 4, client: connect.client });
  assert.ok(!missing.success);
  assert.equal(formatIssues(missing.issues), "at /minProtocol: required key");
});

Deno.test("open schemas keep unknown keys, plain objects drop them", () => {
  const hello = v.parse(HealthResultSchema, { ok: true, modelRuntime: { a: 1 } });
  assert.deepEqual(hello, { ok: true, modelRuntime: { a: 1 } });
  assert.deepEqual(v.parse(NodeIdParamsSchema, { nodeId: "n", extra: 1 }), {
    nodeId: "n",
    extra: 1,
  });
  assert.deepEqual(v.parse(NodeRenameParamsSchema, { nodeId: "n", displayName: "d", x: 1 }), {
    nodeId: "n",
    displayName: "d",
  });
});

Deno.test("integers are safe integers; lengths and minimums hold", () => {
  assert.ok(!v.is(ConnectParamsSchema, { ...connect, minProtocol: 1e20 }));
  assert.ok(!v.is(ConnectParamsSchema, { ...connect, minProtocol: 1.5 }));
  assert.ok(!v.is(ConnectParamsSchema, { ...connect, minProtocol: 0 }));
  assert.ok(!v.is(NodeRenameParamsSchema, { nodeId: "n", displayName: "x".repeat(129) }));
  assert.ok(!v.is(SystemRunParamsSchema, { command: [] }));
  assert.ok(!v.is(SystemRunParamsSchema, { command: ["ls"], timeoutMs: 0 }));
  assert.ok(v.is(SystemRunParamsSchema, { command: ["ls"], timeoutMs: 1, extra: true }));
  assert.ok(!v.is(HelloOkSchema, {}));
});

Deno.test("hello-ok: the client's read schema skips per-entry presence checks, nothing else", () => {
  const hello = (presence: unknown[]) => ({
    type: "hello-ok",
    protocol: 4,
    server: { version: "1", connId: "c" },
    features: { methods: ["health"], events: ["tick"] },
    snapshot: {
      presence,
      health: { ok: true },
      stateVersion: { presence: 1, health: 1 },
      uptimeMs: 1,
    },
    auth: { role: "operator", scopes: [] },
    policy: { maxPayload: 1, maxBufferedBytes: 1, tickIntervalMs: 30_000 },
  });
  const good = hello([{ ts: 1, host: "h" }]);
  assert.ok(v.is(HelloOkSchema, good));
  assert.ok(v.is(HelloOkReadSchema, good));
  // An entry upstream's closed schema refuses: the gateway-side schema catches it, the reader
  // leaves it to whoever reads presence entries.
  const odd = hello([{ ts: 1, connId: "internal" }]);
  assert.ok(!v.is(HelloOkSchema, odd));
  assert.ok(v.is(HelloOkReadSchema, odd));
  // Everything else is checked alike: presence items must be objects, the rest keeps its shape.
  assert.ok(!v.is(HelloOkReadSchema, hello(["x"])));
  assert.ok(!v.is(HelloOkReadSchema, { ...good, policy: {} }));
  assert.ok(!v.is(HelloOkReadSchema, { ...good, snapshot: { ...good.snapshot, presence: {} } }));
});
