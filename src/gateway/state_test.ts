import assert from "node:assert/strict";
import type { ConnectParams } from "../protocol/mod.ts";
import { silentLogger } from "../platform/log.ts";
import { createSocketLike } from "../transport/websocket_like.ts";
import { Session } from "./session.ts";
import { type GatewayInfo, GatewayState, presenceWindowMs } from "./state.ts";

function newState(): GatewayState {
  const info = { host: "127.0.0.1", port: 0, bind: "loopback", auth: { mode: "none" } };
  return new GatewayState(
    {
      ...info,
      tickIntervalMs: 30_000,
      autoApproveLocal: true,
      autoApproveNodes: false,
    } as GatewayInfo,
    { path: "", exists: false, config: {}, stateDir: "" },
    silentLogger,
  );
}

/** A session whose socket records every frame it is sent. */
function recordingSession(
  mode: ConnectParams["client"]["mode"],
  role: "operator" | "node" = "operator",
  scopes = ["operator.read"],
) {
  const sent: string[] = [];
  const { socket } = createSocketLike({
    send: (text) => sent.push(text),
    close: () => {},
    bufferedAmount: () => 0,
  });
  const session = new Session({
    connId: crypto.randomUUID(),
    role,
    scopes: role === "node" ? [] : scopes,
    client: { id: "test", mode, version: "1", platform: "linux" } as ConnectParams["client"],
    peer: { remoteIp: "127.0.0.1", isLocal: true },
    deviceId: role === "node" ? crypto.randomUUID() : undefined,
    socket,
    maxPayloadBytes: 1024,
  });
  return { session, sent };
}

function untilPresence(sent: string[], count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 30_000;
    const check = () => {
      if (sent.filter((t) => t.includes('"event":"presence"')).length >= count) return resolve();
      if (Date.now() > deadline) return reject(new Error(`no presence event in ${sent}`));
      setTimeout(check, 10);
    };
    check();
  });
}

Deno.test("broadcast() serialises the payload once; recipients differ only in their seq", () => {
  const state = newState();
  let calls = 0;
  state.serialize = (v) => (calls++, JSON.stringify(v));
  const peers = Array.from({ length: 5 }, () => recordingSession("cli"));
  for (const p of peers) state.addSession(p.session);
  peers[0].session.sendEvent("tick", { ts: 0 }, { broadcast: true }); // seq 1 on peer 0 only
  state.broadcast("tick", { ts: 42, nested: { a: [1, "two"] } }, {
    stateVersion: { presence: 3, health: 1 },
  });
  assert.equal(calls, 1);
  const frames = peers.map((p) => JSON.parse(p.sent.at(-1)!));
  assert.deepEqual(frames.map((f) => f.seq), [2, 1, 1, 1, 1]);
  for (const f of frames) {
    assert.deepEqual(Object.keys(f), ["type", "event", "payload", "seq", "stateVersion"]);
    assert.deepEqual(f.payload, { ts: 42, nested: { a: [1, "two"] } });
    assert.deepEqual(f.stateVersion, { presence: 3, health: 1 });
  }
  assert.equal(peers[1].sent.at(-1), peers[2].sent.at(-1));
  state.broadcast("node.pair.requested", { requestId: "r" }); // no recipient: nothing serialised
  assert.equal(calls, 1);
});

Deno.test("presence changes in one window are one presence event with the final list", async () => {
  const state = newState();
  const reader = recordingSession("cli"); // reads presence, is not listed
  state.addSession(reader.session);
  const fleet = Array.from(
    { length: 20 },
    (_, i) => recordingSession(i % 2 ? "ui" : "node", i % 2 ? "operator" : "node"),
  );
  const backend = recordingSession("backend");
  state.addSession(backend.session);
  for (const p of fleet) state.addSession(p.session);
  state.removeSession(fleet[0].session);
  await untilPresence(reader.sent, 1);
  const events = reader.sent.map((t) => JSON.parse(t)).filter((f) => f.event === "presence");
  assert.equal(events.length, 1);
  const [ev] = events;
  assert.equal(ev.payload.presence.length, 1 + 19, "gateway self + 19 listed sessions");
  assert.deepEqual(ev.payload.presence, JSON.parse(JSON.stringify(state.presence())));
  assert.equal(ev.stateVersion.presence, state.stateVersion.presence);
  assert.equal(state.stateVersion.presence, 1 + 21, "one version per change");
  assert.ok(
    !ev.payload.presence.some((e: { mode: string }) => e.mode === "backend" || e.mode === "cli"),
  );
  state.stopEvents();
});

Deno.test("running counts and the presence list equal a full recount after churn", () => {
  const state = newState();
  const all = Array.from(
    { length: 60 },
    (_, i) =>
      recordingSession(
        (["cli", "backend", "ui", "node", "probe", "webchat"] as const)[i % 6],
        i % 6 === 3 ? "node" : "operator",
      ),
  );
  for (const p of all) state.addSession(p.session);
  for (const p of all.filter((_, i) => i % 4 === 1)) state.removeSession(p.session);
  state.removeSession(all[1].session); // twice: no effect
  const live = [...state.sessions.values()];
  const nodes = live.filter((s) => s.role === "node").length;
  assert.deepEqual(state.connectionCounts(), { operators: live.length - nodes, nodes });
  const listed = live.filter((s) => !["cli", "backend", "probe"].includes(s.client.mode));
  assert.deepEqual(state.presence().slice(1).map((e) => e.mode), listed.map((s) => s.client.mode));
  for (const s of live.filter((s) => s.role === "node")) {
    assert.deepEqual(state.nodeSessions(s.nodeId), [s]);
    assert.deepEqual(state.deviceSessions(s.deviceId!), [s]);
  }
  for (const p of all.filter((_, i) => i % 4 === 1 && i % 6 === 3)) {
    assert.deepEqual(state.nodeSessions(p.session.nodeId), []);
    assert.deepEqual(state.deviceSessions(p.session.deviceId!), []);
  }
  state.stopEvents();
});

Deno.test("presenceWindowMs() grows with the list between 100 ms and 5 s", () => {
  assert.equal(presenceWindowMs(0), 100);
  assert.equal(presenceWindowMs(1_000), 2_000);
  assert.equal(presenceWindowMs(1_000_000), 5_000);
});
