import assert from "node:assert/strict";
import { chooseLocalPort } from "./local_port.ts";
import { tunnelFailure } from "./tunnel_error.ts";

Deno.test("chooseLocalPort() keeps a free port, falls back from a busy one unless pinned", async () => {
  const busy = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (busy.addr as Deno.NetAddr).port;
  try {
    const moved = await chooseLocalPort(port);
    assert.notEqual(moved.port, port);
    assert.equal(moved.fallback?.wanted, port);
    assert.match(
      moved.fallback!.reason,
      new RegExp(`^127\\.0\\.0\\.1:${port} is in use on 127\\.0\\.0\\.1`),
    );
    // The fallback port is free: it binds.
    Deno.listen({ hostname: "127.0.0.1", port: moved.port }).close();

    assert.deepEqual(await chooseLocalPort(port, true), { port });
  } finally {
    busy.close();
  }
  assert.deepEqual(await chooseLocalPort(port), { port });
});

Deno.test("tunnelFailure() carries the supervisor's failure; a stop is no failure", () => {
  const err = tunnelFailure({
    state: "failed",
    failure: { kind: "auth", message: "Permission denied (publickey)", hint: "Check the key" },
    spawns: 1,
  }, "me@host:2222");
  assert.ok(err);
  assert.deepEqual(
    [err.kind, err.refused, err.hint, err.target, err.spawns, err.message],
    [
      "auth",
      true,
      "Check the key",
      "me@host:2222",
      1,
      "ssh tunnel to me@host:2222 failed: Permission denied (publickey)",
    ],
  );
  assert.equal(tunnelFailure({ state: "stopped", spawns: 3 }, "me@host"), undefined);
});
