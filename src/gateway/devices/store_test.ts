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

Deno.test("PairingStore.saveSoon(): many calls share one lazy write; flush() writes it at once", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "clawgate-store-" });
  try {
    const store = await PairingStore.open(stateDir);
    for (let i = 0; i < 20; i++) {
      store.devices.paired.push({ deviceId: `d${i}`, roles: ["node"] } as PairedDevice);
      store.saveSoon();
    }
    await assert.rejects(Deno.stat(`${stateDir}/pairing/devices.json`), Deno.errors.NotFound);
    await store.flush(); // what the gateway does on stop
    const onDisk = JSON.parse(await Deno.readTextFile(`${stateDir}/pairing/devices.json`));
    assert.equal(onDisk.paired.length, 20);
    await store.flush(); // nothing pending: no timer left behind either
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});

Deno.test("PairingStore lookups follow pushes, replacements, filters and dropPendingNode", async () => {
  const stateDir = await Deno.makeTempDir({ prefix: "clawgate-store-" });
  try {
    const store = await PairingStore.open(stateDir);
    const dev = (id: string, role = "node") => ({ deviceId: id, role }) as PairedDevice;
    for (let i = 0; i < 5; i++) store.devices.paired.push(dev(`d${i}`));
    assert.equal(store.device("d3")?.deviceId, "d3");
    assert.equal(store.device("nope"), undefined);
    store.devices.paired[3] = dev("d3", "operator"); // in-place replacement, same key
    assert.equal(store.device("d3")?.role, "operator");
    store.devices.paired = store.devices.paired.filter((d) => d.deviceId !== "d1");
    assert.equal(store.device("d1"), undefined);
    assert.equal(store.devicePosition("d4"), 3);
    store.devices.paired.push(dev("d9"));
    assert.equal(store.device("d9")?.deviceId, "d9");

    const pending = (nodeId: string) =>
      ({ nodeId, requestId: `r-${nodeId}`, caps: [], commands: [] }) as never;
    store.nodes.pending.push(pending("n1"), pending("n2"));
    assert.equal(store.pendingNode("n2")?.nodeId, "n2");
    store.dropPendingNode("n1");
    store.nodes.pending.push(pending("n3")); // same length as before the removal
    assert.equal(store.pendingNode("n3")?.nodeId, "n3");
    assert.equal(store.pendingNode("n1"), undefined);
    assert.deepEqual(store.nodes.pending.map((n) => n.nodeId), ["n2", "n3"]);
  } finally {
    await Deno.remove(stateDir, { recursive: true });
  }
});
