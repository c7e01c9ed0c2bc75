import assert from "node:assert/strict";
import type { SpawnedProcess, Spawner, SpawnStatus } from "../platform/spawner.ts";
import { type TunnelStateEvent, TunnelSupervisor } from "./supervisor.ts";
import { WakeWatch } from "./wake_watch.ts";

/** A fake ssh: exits with the given stderr after `lifeMs`, or when killed. */
function fakeSpawner(
  runs: { stderr: string[]; lifeMs: number }[],
): Spawner & { spawned: number; kills: string[] } {
  const self = {
    spawned: 0,
    kills: [] as string[],
    spawn(): SpawnedProcess {
      const run = runs[Math.min(self.spawned++, runs.length - 1)];
      let resolve!: (s: SpawnStatus) => void;
      const status = new Promise<SpawnStatus>((r) => (resolve = r));
      const timer = setTimeout(() => resolve({ code: 255, signal: null }), run.lifeMs);
      return {
        pid: 1000 + self.spawned,
        status,
        stderrLines: (async function* () {
          await status;
          yield* run.stderr;
        })(),
        kill(sig = "SIGTERM") {
          self.kills.push(sig);
          clearTimeout(timer);
          resolve({ code: 143, signal: sig });
        },
      };
    },
  };
  return self;
}

function deps(spawner: Spawner, gatewayUp: () => boolean) {
  return {
    spawner,
    probe: () => gatewayUp() ? Promise.resolve({}) : Promise.reject(new Error("no challenge")),
    tcpAccepts: () => Promise.resolve(true),
    checkPortFree: () => Promise.resolve({ free: true as const }),
  };
}

Deno.test("supervisor: auth failure is fatal after one spawn", async () => {
  const sp = fakeSpawner([{ stderr: ["u@h: Permission denied (publickey)."], lifeMs: 10 }]);
  const states: TunnelStateEvent[] = [];
  const sup = new TunnelSupervisor({ args: [], localPort: 1, onState: (e) => states.push(e) }, {
    ...deps(sp, () => true),
    tcpAccepts: () => Promise.resolve(false),
  });
  const r = await sup.run(new AbortController().signal);
  assert.equal(r.state, "failed");
  assert.equal(r.failure?.kind, "auth");
  assert.equal(sp.spawned, 1);
  assert.deepEqual(states.map((s) => s.state), ["connecting", "failed"]);
});

Deno.test("supervisor: drop → backoff → up again; gateway-down does not restart ssh; stop kills", async () => {
  const sp = fakeSpawner([
    { stderr: ["Connection to h closed by remote host."], lifeMs: 80 },
    { stderr: [], lifeMs: 60_000 },
  ]);
  let gw = true;
  const states: TunnelStateEvent[] = [];
  const ac = new AbortController();
  const sup = new TunnelSupervisor({
    args: [],
    localPort: 1,
    probeIntervalMs: 20,
    backoff: { random: () => 0.01 },
    onState: (e) => {
      states.push(e);
      const ups = states.filter((s) => s.state === "up").length;
      if (e.state === "up" && ups === 2) setTimeout(() => (gw = false), 10);
      if (e.state === "gateway-down") setTimeout(() => (gw = true), 50);
      if (e.state === "up" && ups === 3) ac.abort();
    },
  }, deps(sp, () => gw));
  const r = await sup.run(ac.signal);
  assert.equal(r.state, "stopped");
  assert.equal(sp.spawned, 2);
  assert.deepEqual(states.map((s) => s.state), [
    "connecting",
    "up",
    "backoff",
    "connecting",
    "up",
    "gateway-down",
    "up",
    "stopped",
  ]);
  assert.deepEqual(sp.kills, ["SIGTERM"]);
});

Deno.test("supervisor: busy local port fails before spawning", async () => {
  const sp = fakeSpawner([{ stderr: [], lifeMs: 10 }]);
  const sup = new TunnelSupervisor({ args: [], localPort: 4242, onState: () => {} }, {
    ...deps(sp, () => true),
    checkPortFree: () =>
      Promise.resolve({
        free: false as const,
        address: "::1",
        holder: { pid: 7, command: "nc -l" },
      }),
  });
  const r = await sup.run(new AbortController().signal);
  assert.equal(sp.spawned, 0);
  assert.match(r.failure!.message, /Local port 4242 is already in use on ::1 by pid 7 \(nc -l\)/);
});

Deno.test("supervisor: silent link after an answer → link-down (dead-link), restart; hung gateway with a live link → gateway-down", async () => {
  const sp = fakeSpawner([{ stderr: [], lifeMs: 60_000 }]);
  let linkAlive = true;
  let gw = true;
  const states: TunnelStateEvent[] = [];
  const ac = new AbortController();
  const sup = new TunnelSupervisor({
    args: ["-N", "--", "me@h"],
    localPort: 1,
    probeIntervalMs: 20,
    linkCheckIntervalMs: 10,
    linkCheckTimeoutMs: 30,
    backoff: { random: () => 0.01 },
    onState: (e) => {
      states.push(e);
      const ups = states.filter((s) => s.state === "up").length;
      if (e.state === "up" && ups === 1) setTimeout(() => (gw = false), 10);
      if (e.state === "gateway-down") {
        gw = true;
        setTimeout(() => (linkAlive = false), 10);
      }
      if (e.state === "backoff") linkAlive = true;
      if (e.state === "up" && ups === 3) ac.abort();
    },
  }, {
    ...deps(sp, () => gw && linkAlive),
    linkCheck: () => Promise.resolve(linkAlive ? "answered" : "silent"),
    quickCheck: () => Promise.resolve(linkAlive ? (gw ? "answered" : "closed") : "silent"),
  });
  const r = await sup.run(ac.signal);
  assert.equal(r.state, "stopped");
  assert.deepEqual(states.map((s) => s.state), [
    "connecting",
    "up",
    "gateway-down",
    "up",
    "link-down",
    "backoff",
    "connecting",
    "up",
    "stopped",
  ]);
  assert.equal(states[4].kind, "dead-link");
  assert.equal(states[5].kind, "dead-link");
  assert.equal(sp.spawned, 2);
});

Deno.test("supervisor: a link that never answered is not declared dead (ServerAlive decides)", async () => {
  const sp = fakeSpawner([{ stderr: [], lifeMs: 60_000 }]);
  const states: TunnelStateEvent[] = [];
  const ac = new AbortController();
  let checks = 0;
  const sup = new TunnelSupervisor({
    args: [],
    localPort: 1,
    probeIntervalMs: 20,
    linkCheckIntervalMs: 10,
    linkCheckTimeoutMs: 10,
    onState: (e) => states.push(e),
  }, {
    ...deps(sp, () => true),
    linkCheck: () => {
      if (++checks === 1) setTimeout(() => ac.abort(), 200);
      return Promise.resolve("silent");
    },
  });
  await sup.run(ac.signal);
  assert.deepEqual(states.map((s) => s.state), ["connecting", "up", "stopped"]);
  assert.equal(checks, 1, "checks stop after the first silent one");
  assert.equal(sp.spawned, 1);
});

Deno.test("supervisor: a clock jump (wake from sleep) re-probes at once and is reported", async () => {
  const sp = fakeSpawner([{ stderr: [], lifeMs: 60_000 }]);
  let wall = 1_000_000;
  const mono = 0;
  const ac = new AbortController();
  const wakes: number[] = [];
  let probes = 0;
  const sup = new TunnelSupervisor({
    args: [],
    localPort: 1,
    probeIntervalMs: 60_000,
    onState: () => {},
    onWake: (j) => {
      wakes.push(j);
      setTimeout(() => ac.abort(), 50);
    },
  }, {
    ...deps(sp, () => true),
    probe: () => {
      if (++probes === 1) setTimeout(() => (wall += 120_000), 20);
      return Promise.resolve({});
    },
    linkCheck: () => Promise.resolve("answered"),
    wakeWatch: new WakeWatch({ wall: () => wall, monotonic: () => mono }),
  });
  await sup.run(ac.signal);
  assert.deepEqual(wakes, [120_000]);
  assert.equal(probes, 2, "probed again right after the wake, not after 60 s");
});
