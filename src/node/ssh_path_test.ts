import assert from "node:assert/strict";
import type { SpawnedProcess, Spawner, SpawnStatus } from "../platform/spawner.ts";
import { createLogger } from "../platform/log.ts";
import type { NodeStateLine } from "./node_host_options.ts";
import { SshPath } from "./ssh_path.ts";

/** ssh runs: the first exits after `firstLifeMs` with a dropped connection, later ones live on. */
function spawner(firstLifeMs: number): Spawner & { kill(): void } {
  const live: ((s: SpawnStatus) => void)[] = [];
  let n = 0;
  return {
    spawn(): SpawnedProcess {
      const first = n++ === 0;
      let resolve!: (s: SpawnStatus) => void;
      const status = new Promise<SpawnStatus>((r) => (resolve = r));
      live.push(resolve);
      const timer = first
        ? setTimeout(() => resolve({ code: 255, signal: null }), firstLifeMs)
        : undefined;
      return {
        pid: 100 + n,
        status,
        stderrLines: (async function* () {
          await status;
          if (first) yield "Connection to h closed by remote host.";
        })(),
        kill() {
          clearTimeout(timer);
          resolve({ code: 143, signal: "SIGTERM" });
        },
      };
    },
    kill() {
      for (const r of live) r({ code: 143, signal: "SIGTERM" });
    },
  };
}

Deno.test("SshPath: names the down layer, ready() waits for the tunnel, logs each change", async () => {
  const logs: string[] = [];
  const lines: NodeStateLine[] = [];
  const sp = spawner(150);
  const path = new SshPath({
    sshTarget: "me@box",
    localPort: 4321,
    remotePort: 18789,
    args: [],
    logger: createLogger({ level: "debug", scope: "node", write: (l) => logs.push(l) }),
    onState: (l) => lines.push(l),
    deps: {
      spawner: sp,
      probe: () => Promise.resolve({}),
      tcpAccepts: () => Promise.resolve(true),
      checkPortFree: () => Promise.resolve({ free: true as const }),
      linkCheck: () => Promise.resolve("answered"),
    },
  });
  assert.equal(path.url, "ws://127.0.0.1:4321");
  assert.equal(path.downLayer(), "tunnel", "nothing ran yet");
  const ac = new AbortController();
  const run = path.run(ac.signal);
  await path.ready(ac.signal);
  assert.equal(path.downLayer(), undefined);
  // The first ssh drops: link down until the second one is up.
  const seen: (string | undefined)[] = [];
  while (!lines.some((l) => l.tunnel === "backoff")) {
    await new Promise((r) => setTimeout(r, 5));
  }
  seen.push(path.downLayer());
  await path.ready(ac.signal);
  seen.push(path.downLayer());
  assert.deepEqual(seen, ["link", undefined]);
  ac.abort();
  assert.equal((await run).state, "stopped");
  assert.deepEqual(lines.map((l) => `${l.tunnel}/${l.layer ?? "-"}`), [
    "connecting/tunnel",
    "up/-",
    "backoff/link",
    "connecting/tunnel",
    "up/-",
    "stopped/tunnel",
  ]);
  assert.ok(
    logs.some((l) => /link down: ssh exit 255: Connection to h closed/.test(l)),
    logs.join("\n"),
  );
  assert.ok(
    logs.some((l) =>
      /ssh tunnel up 127\.0\.0\.1:4321 → me@box \(remote 127\.0\.0\.1:18789\)/.test(l)
    ),
  );
  sp.kill();
});
