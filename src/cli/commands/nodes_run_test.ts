import assert from "node:assert/strict";
import { createContext } from "../context.ts";
import { renderNodeList, renderPending } from "./nodes_run.ts";

function collect(json: boolean) {
  let out = "";
  const ctx = createContext({
    signal: new AbortController().signal,
    stdout: (t) => void (out += t),
    stderr: () => {},
    env: () => undefined,
  }, { json });
  return { ctx, out: () => out };
}

const node = {
  nodeId: "0123456789abcdef",
  displayName: "box",
  platform: "linux",
  caps: [],
  commands: ["system.run", "system.which"],
  paired: true,
  connected: true,
  connectedAtMs: Date.now() - 5_000,
};

Deno.test("renderNodeList(): a table with the short id, state and commands; {nodes} with --json", () => {
  const human = collect(false);
  assert.equal(renderNodeList(human.ctx, [node]), 0);
  const [header, row] = human.out().trimEnd().split("\n");
  assert.match(header, /^NODE\s+NAME\s+PLATFORM\s+STATE\s+APPROVAL\s+COMMANDS\s+SEEN$/);
  assert.match(
    row,
    /^0123456789ab\s+box\s+linux\s+connected\s+approved\s+system\.run,system\.which\s+\d+s ago$/,
  );
  const json = collect(true);
  renderNodeList(json.ctx, [node]);
  assert.deepEqual(JSON.parse(json.out()), { nodes: [node] });
  const none = collect(false);
  renderNodeList(none.ctx, []);
  assert.equal(none.out(), "No nodes.\n");
});

Deno.test("renderPending(): the approve hint after the table; nothing pending says so", () => {
  const human = collect(false);
  renderPending(human.ctx, [{ requestId: "r1", nodeId: "abcdef0123456789", commands: ["x"] }]);
  assert.match(human.out(), /^REQUEST\s+NODE/);
  assert.match(human.out(), /\nr1\s+abcdef012345\s+x\s+-\n/);
  assert.match(human.out(), /Approve with: clawgate nodes approve <request\|node>\n$/);
  const none = collect(false);
  renderPending(none.ctx, []);
  assert.equal(none.out(), "No pending node requests.\n");
});
