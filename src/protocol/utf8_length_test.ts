import assert from "node:assert/strict";
import { utf8Exceeds, utf8Length } from "./utf8_length.ts";

Deno.test("utf8Length matches TextEncoder for every kind of code unit, lone surrogates too", () => {
  const samples = [
    "",
    "abc",
    "é",
    "€",
    "😀",
    "a😀b€é",
    "\ud800",
    "\udc00x",
    "x\ud83d",
    "\ud83d\ud83d\ude00",
  ];
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 200; i++) {
    samples.push(
      Array.from(
        { length: 1 + Math.floor(rand() * 20) },
        () => String.fromCharCode(Math.floor(rand() * 0x10000)),
      ).join(""),
    );
  }
  const enc = new TextEncoder();
  for (const s of samples) {
    const bytes = enc.encode(s).length;
    assert.equal(utf8Length(s), bytes, JSON.stringify(s));
    assert.equal(utf8Exceeds(s, bytes), false);
    if (bytes > 0) assert.equal(utf8Exceeds(s, bytes - 1), true);
  }
});
