import assert from "node:assert/strict";
import { KeyIndex } from "./key_index.ts";

type Rec = { id: string; v?: number };

Deno.test("KeyIndex finds records after pushes and in-place replacements, and misses absent keys", () => {
  const index = new KeyIndex<Rec>((r) => r.id);
  const list: Rec[] = [{ id: "a" }, { id: "b" }];
  assert.equal(index.find(list, "b"), list[1]);
  list.push({ id: "c" });
  assert.equal(index.position(list, "c"), 2);
  list[0] = { id: "a", v: 2 };
  assert.equal(index.find(list, "a")?.v, 2);
  assert.equal(index.find(list, "zz"), undefined);
});

Deno.test("KeyIndex follows a reassigned or shrunk array and shifted positions", () => {
  const index = new KeyIndex<Rec>((r) => r.id);
  let list: Rec[] = [{ id: "a" }, { id: "b" }, { id: "c" }];
  assert.equal(index.position(list, "c"), 2);
  list = list.filter((r) => r.id !== "a");
  assert.equal(index.position(list, "c"), 1);
  list.splice(0, 1);
  assert.equal(index.position(list, "c"), 0);
  assert.equal(index.find(list, "b"), undefined);
  list.unshift({ id: "x" }); // same array, same length as indexed earlier, "c" shifted
  assert.equal(index.position(list, "c"), 1, "a stale hit is detected and rebuilt");
});

Deno.test("KeyIndex.invalidate() after an in-place removal keeps a later miss honest", () => {
  const index = new KeyIndex<Rec>((r) => r.id);
  const list: Rec[] = [{ id: "a" }, { id: "b" }];
  index.position(list, "a");
  list.splice(0, 1);
  index.invalidate();
  list.push({ id: "c" });
  assert.equal(index.position(list, "c"), 1);
});
