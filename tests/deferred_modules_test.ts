/**
 * Every `deferredImport(name, new URL(path, import.meta.url))` under src/ has its entry in
 * src/deferred_modules.ts, naming the same file: a bundle or compiled binary only carries the
 * modules registered there (src/platform/deferred_import.ts).
 * @module
 */
import assert from "node:assert/strict";
import { DEFERRED_LOADERS } from "../src/deferred_modules.ts";

const SRC = new URL("../src/", import.meta.url);

function walk(dir: URL, out: URL[]): void {
  for (const e of Deno.readDirSync(dir)) {
    const u = new URL(e.isDirectory ? `${e.name}/` : e.name, dir);
    if (e.isDirectory) walk(u, out);
    else if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) out.push(u);
  }
}

Deno.test("every deferredImport() in src/ is registered in src/deferred_modules.ts", () => {
  const registry = Deno.readTextFileSync(new URL("deferred_modules.ts", SRC));
  const registered = new Map<string, string>();
  for (const m of registry.matchAll(/"([^"]+)": \(\) => import\("([^"]+)"\)/g)) {
    registered.set(m[1], new URL(m[2], SRC).href);
  }
  assert.deepEqual([...registered.keys()].sort(), Object.keys(DEFERRED_LOADERS).sort());
  const files: URL[] = [];
  walk(SRC, files);
  const calls: string[] = [];
  for (const file of files) {
    const text = Deno.readTextFileSync(file);
    const re = /deferredImport<[^>]*>\(\s*"([^"]+)",\s*new URL\("([^"]+)", import\.meta\.url\)/g;
    for (const m of text.matchAll(re)) {
      const target = new URL(m[2], file).href;
      calls.push(m[1]);
      assert.equal(registered.get(m[1]), target, `${file.pathname}: ${m[1]} → ${m[2]}`);
    }
  }
  assert.deepEqual(calls.sort(), [...registered.keys()].sort(), "registered but never loaded");
});
