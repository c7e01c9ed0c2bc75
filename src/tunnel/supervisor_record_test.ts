import assert from "node:assert/strict";
import {
  claimRecord,
  listRecords,
  releaseRecord,
  type SupervisorRecord,
} from "./supervisor_record.ts";

function record(pid: number): SupervisorRecord {
  return {
    pid,
    key: "me@box|2222|18789",
    target: "me@box:2222",
    localPort: 40000,
    remotePort: 18789,
    mode: "background",
    startedAtMs: Date.now(),
    state: "up",
    stateSinceMs: Date.now(),
    spawns: 1,
  };
}

Deno.test("claimRecord(): one supervisor per forward; a dead holder is replaced and listed as not alive", async () => {
  const dir = await Deno.makeTempDir();
  // A live process whose command line names `tunnel`, standing in for another supervisor.
  const holder = new Deno.Command("sh", { args: ["-c", "sleep 60", "tunnel"] }).spawn();
  try {
    assert.deepEqual(await claimRecord(dir, record(holder.pid)), {
      claimed: true,
      replaced: undefined,
    });
    const refused = await claimRecord(dir, record(Deno.pid));
    assert.equal(refused.claimed, false);
    assert.equal(!refused.claimed && refused.holder.pid, holder.pid);
    holder.kill("SIGKILL");
    await holder.status;
    assert.equal((await listRecords(dir))[0].alive, false);
    const taken = await claimRecord(dir, record(Deno.pid));
    assert.equal(taken.claimed && taken.replaced?.pid, holder.pid);
    await releaseRecord(dir, "me@box|2222|18789", 1); // not the holder: kept
    assert.equal((await listRecords(dir)).length, 1);
    await releaseRecord(dir, "me@box|2222|18789", Deno.pid);
    assert.deepEqual(await listRecords(dir), []);
  } finally {
    try {
      holder.kill("SIGKILL");
    } catch { /* gone */ }
    await holder.status;
    await Deno.remove(dir, { recursive: true });
  }
});
