import assert from "node:assert/strict";
import { createSocketLike } from "./websocket_like.ts";

const ops = { send() {}, close() {}, bufferedAmount: () => 0 };

Deno.test("createSocketLike() holds frames that arrive before a handler and replays them in order", () => {
  const { socket, deliver } = createSocketLike(ops);
  deliver("challenge");
  deliver(new Uint8Array([1]));
  const got: unknown[] = [];
  socket.onmessage = (d) => got.push(d);
  deliver("later");
  assert.deepEqual(got, ["challenge", new Uint8Array([1]), "later"]);
});

Deno.test("createSocketLike() reports a close that came before the handler, after held frames", () => {
  const { socket, deliver, closed } = createSocketLike(ops);
  deliver("last words");
  closed(1008, "bye");
  const events: string[] = [];
  socket.onclose = (code, reason) => events.push(`close ${code} ${reason}`);
  assert.equal(events.length, 0, "no close before the held frame was handed over");
  socket.onmessage = (d) => events.push(`msg ${d}`);
  closed(1000, "ignored: reported once");
  assert.deepEqual(events, ["msg last words", "close 1008 bye"]);
});

Deno.test("createSocketLike() passes send, close and bufferedAmount through", () => {
  const sent: string[] = [];
  let closedWith: unknown[] = [];
  const { socket } = createSocketLike({
    send: (t) => sent.push(t),
    close: (...a) => (closedWith = a),
    bufferedAmount: () => 42,
  });
  socket.send("x");
  socket.close(1000, "done");
  assert.deepEqual(sent, ["x"]);
  assert.deepEqual(closedWith, [1000, "done"]);
  assert.equal(socket.bufferedAmount, 42);
});
