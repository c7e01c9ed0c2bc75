import assert from "node:assert/strict";
import { decodeBase64, encodeBase64, encodeBase64Url, encodeHex } from "./base64url.ts";

Deno.test("encodeBase64Url() drops padding and uses the URL alphabet", () => {
  const bytes = new Uint8Array([0xfb, 0xff, 0xbf]);
  assert.equal(encodeBase64(bytes), "+/+/");
  assert.equal(encodeBase64Url(bytes), "-_-_");
  assert.equal(encodeBase64Url(new Uint8Array([1])), "AQ");
  assert.equal(encodeBase64(new Uint8Array([1])), "AQ==");
});

Deno.test("decodeBase64() accepts both alphabets, padded or not", () => {
  for (const text of ["-_-_", "+/+/", "AQ", "AQ==", ""]) {
    assert.equal(
      encodeBase64Url(decodeBase64(text)),
      text.replace(/=+$/, "").replaceAll("+", "-").replaceAll("/", "_"),
    );
  }
});

Deno.test("decodeBase64() rejects bad characters, length and padding", () => {
  for (const bad of ["A", "AQ=", "A Q", "AQ==\n", "@@@@", "A=Q="]) {
    assert.throws(() => decodeBase64(bad), SyntaxError, bad);
  }
});

Deno.test("encodeBase64() handles large inputs", () => {
  const big = new Uint8Array(100_000).map((_, i) => i % 256);
  assert.deepEqual(decodeBase64(encodeBase64(big)), big);
});

Deno.test("encodeHex() is lowercase and zero-padded", () => {
  assert.equal(encodeHex(new Uint8Array([0, 10, 255])), "000aff");
});
