import assert from "node:assert/strict";
import { type PairedDevice, PairingStore } from "./store.ts";

Deno.test("PairingStore.save(): saves waiting for their turn share one write that has every change", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "clawgate-store-" });
  try {
    const store = await PairingStore.open(stateDir);
    const saves: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) {
      store.devices.paired.push({ deviceId: `d${i}`, roles: ["node"] } as PairedDevice);
      saves.push(store.save());
    }
    assert.equal(new Set(saves).size, 1, "one queued write for the whole burst");
    await Promise.all(saves);
    const onDisk = JSON.parse(await Deno.readTextFile(`${stateDir}/pairing/devices.json`));
    assert.equal(onDisk.paired.length, 50);
    store.devices.paired.pop();
    const next = store.save();
    assert.ok(!saves.includes(next), "a change after the write started gets its own write");
    await next;
    const reread = await PairingStore.open(stateDir);
    assert.equal(reread.devices.paired.length, 49);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
