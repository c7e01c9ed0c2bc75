/**
 * scripts/dist_lock.ts: parallel `deno task dist` runs (e.g. two test files calling
 * ensureDist) take turns; a lock left by a dead process is taken over.
 * @module
 */
import assert from "node:assert/strict";
import { withDistLock } from "../scripts/dist_lock.ts";

Deno.test("withDistLock: holders never overlap; a dead owner's lock is taken over", async () => {
  const dir = await Deno.makeTempDir({ prefix: "clawgate-dist-lock-" });
  try {
    const lock = `${dir}/clawgate.lock`;
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = withDistLock(lock, async () => {
      events.push("first in");
      await gate;
      events.push("first out");
    });
    const second = withDistLock(lock, () => {
      events.push("second in");
      return Promise.resolve();
    });
    // The second waits while the first holds the lock, however long that takes.
    while (events.length === 0) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 600));
    assert.deepEqual(events, ["first in"]);
    release();
    await Promise.all([first, second]);
    assert.deepEqual(events, ["first in", "first out", "second in"]);
    assert.throws(() => Deno.statSync(lock), Deno.errors.NotFound);

    // A lock whose owner has exited does not block.
    const dead = new Deno.Command("true").spawn();
    await dead.status;
    Deno.mkdirSync(lock);
    Deno.writeTextFileSync(`${lock}/pid`, String(dead.pid));
    let ran = false;
    await withDistLock(lock, () => Promise.resolve(void (ran = true)), 10_000);
    assert.ok(ran);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
