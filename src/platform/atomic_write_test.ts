import assert from "node:assert/strict";
import { writeFileAtomic, writeJsonAtomic } from "./atomic_write.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "clawgate-atomic-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

Deno.test("writeJsonAtomic() creates 0700 parents and a 0600 file with pretty JSON", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/a/b/state.json`;
    assert.equal(await writeJsonAtomic(path, { x: 1 }), true);
    assert.equal(await Deno.readTextFile(path), '{\n  "x": 1\n}\n');
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(`${dir}/a`)).mode! & 0o777, 0o700);
    assert.equal((await Deno.stat(`${dir}/a/b`)).mode! & 0o777, 0o700);
    assert.deepEqual(await listDir(`${dir}/a/b`), ["state.json"]);
  });
});

Deno.test("writeJsonAtomic() replaces an existing file and tightens its mode", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/f.json`;
    await Deno.writeTextFile(path, "old", { mode: 0o644 });
    await Deno.chmod(path, 0o644);
    await writeJsonAtomic(path, [1, 2]);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(path)), [1, 2]);
    assert.equal((await Deno.stat(path)).mode! & 0o777, 0o600);
  });
});

Deno.test("writeFileAtomic() honours a custom mode", async () => {
  await withDir(async (dir) => {
    await writeFileAtomic(`${dir}/f.txt`, "hi", { mode: 0o640 });
    assert.equal((await Deno.stat(`${dir}/f.txt`)).mode! & 0o777, 0o640);
  });
});

Deno.test("writeJsonAtomic({exclusive}) never overwrites and leaves no temp file", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/once.json`;
    assert.equal(await writeJsonAtomic(path, { n: 1 }, { exclusive: true }), true);
    assert.equal(await writeJsonAtomic(path, { n: 2 }, { exclusive: true }), false);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(path)), { n: 1 });
    assert.deepEqual(await listDir(dir), ["once.json"]);
  });
});

Deno.test("writeJsonAtomic() rejects unserializable values without touching the target", async () => {
  await withDir(async (dir) => {
    await assert.rejects(() => writeJsonAtomic(`${dir}/u.json`, undefined), TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await assert.rejects(() => writeJsonAtomic(`${dir}/c.json`, cyclic), TypeError);
    assert.deepEqual(await listDir(dir), []);
  });
});
