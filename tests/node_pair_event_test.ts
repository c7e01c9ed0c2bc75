/**
 * A node ignores a malformed `node.pair.requested` event with a warning and keeps serving: the
 * real gateway and node, with a frame tap between them that injects events as the gateway
 * would send them. A well-formed event for this node still moves its command surface to
 * pending-approval (with the request id from the payload).
 */
import assert from "node:assert/strict";
import { startGatewayProcess } from "./helpers/cli.ts";
import { startFrameTap } from "./helpers/frame_tap.ts";
import { startApprovedNode } from "./helpers/node_process.ts";

Deno.test({
  name: "node: a malformed node.pair.requested is ignored with a warning",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const gw = await startGatewayProcess();
  const tap = startFrameTap(gw.url);
  const node = await startApprovedNode({ url: tap.url, token: gw.token }, "pair-events");
  try {
    const connected = node.states().find((s) => s.state === "connected")!;
    const nodeId = connected.nodeId as string;
    const event = (payload: unknown) => ({ type: "event", event: "node.pair.requested", payload });
    tap.toClients(event({ nodeId, requestId: 42 }));
    tap.toClients(event("not an object"));
    tap.toClients(event({ nodeId, requestId: "req-ok", commands: ["system.run"] }));
    await node.waitFor(/"state":"pending-approval"[^\n]*"requestId":"req-ok"/);
    assert.equal(
      node.stderr().match(/ignoring a malformed node\.pair\.requested event/g)?.length,
      2,
      node.stderr(),
    );
    const pending = node.states().filter((s) => s.state === "pending-approval");
    assert.ok(pending.every((s) => s.requestId !== 42), JSON.stringify(pending));
  } finally {
    node.signal("SIGTERM");
    assert.equal((await node.status).code, 0, node.stderr());
    await tap.close();
    await gw.stop();
  }
});
