import assert from "node:assert/strict";
import { RpcError } from "../protocol/mod.ts";
import { isAwaitingApproval, NodePublisher, publicationRetryDelayMs } from "./publication.ts";
import type { Logger } from "../platform/log.ts";

const quiet: Logger = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  addSecret() {},
};

Deno.test("publicationRetryDelayMs() doubles from 250 ms and caps at 5 s", () => {
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 9].map(publicationRetryDelayMs),
    [250, 500, 1000, 2000, 4000, 5000, 5000],
  );
});

Deno.test("NodePublisher reports a pending surface, then approval once the inventory is accepted", async () => {
  let pending = true;
  const calls: string[] = [];
  const events: string[] = [];
  const client = {
    request(method: string): Promise<unknown> {
      calls.push(method);
      if (method === "node.runnerInventory.update" && pending) {
        return Promise.reject(
          new RpcError("UNAVAILABLE", "node capability surface is awaiting operator approval"),
        );
      }
      return Promise.resolve({});
    },
  } as unknown as ConstructorParameters<typeof NodePublisher>[0]["client"];
  const stop = new AbortController();
  const pub = new NodePublisher({
    client,
    logger: quiet,
    signal: stop.signal,
    onPendingApproval: () => events.push("pending"),
    onAcceptedAfterPending: () => events.push("approved"),
  });
  pub.start(0);
  const deadline = Date.now() + 2_000;
  while (!events.includes("pending") && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
  }
  assert.deepEqual(events, ["pending"]);
  pending = false;
  pub.retryNow();
  while (!events.includes("approved") && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10));
  }
  pub.stop();
  assert.deepEqual(events, ["pending", "approved"]);
  assert.equal(calls[0], "node.event");
  assert.ok(isAwaitingApproval(new RpcError("UNAVAILABLE", "awaiting operator approval")));
  assert.ok(!isAwaitingApproval(new Error("approval")));
});
