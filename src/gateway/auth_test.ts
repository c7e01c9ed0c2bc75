import assert from "node:assert/strict";
import { checkSharedSecret, safeEqualSecret } from "./auth.ts";

Deno.test("safeEqualSecret() requires equal bytes and equal length", () => {
  assert.equal(safeEqualSecret("s3cret", "s3cret"), true);
  assert.equal(safeEqualSecret("s3cret", "s3creT"), false);
  assert.equal(safeEqualSecret("s3cret", "s3cret\0"), false);
  assert.equal(safeEqualSecret("", "x"), false);
  assert.equal(safeEqualSecret("é", "é"), true);
});

Deno.test("checkSharedSecret() accepts the token in either field on a token gateway", () => {
  const gw = { mode: "token" as const, token: "T0k3n-value" };
  assert.deepEqual(checkSharedSecret({ token: "T0k3n-value" }, gw, "cli"), {
    ok: true,
    method: "token",
  });
  assert.deepEqual(checkSharedSecret({ password: "T0k3n-value" }, gw, "cli"), {
    ok: true,
    method: "token",
  });
});

Deno.test("checkSharedSecret() reports mismatch and missing with OpenClaw's details", () => {
  const gw = { mode: "token" as const, token: "T0k3n-value" };
  const bad = checkSharedSecret({ token: "nope" }, gw, "cli");
  assert.equal(bad.ok, false);
  if (!bad.ok) {
    assert.equal(bad.error.code, "INVALID_REQUEST");
    assert.equal(bad.error.detailCode, "AUTH_TOKEN_MISMATCH");
    assert.equal(
      bad.error.message,
      "unauthorized: gateway token mismatch (use this gateway's gateway.auth.token or pair the device)",
    );
    assert.equal(bad.provided, true);
  }
  const missing = checkSharedSecret(undefined, gw, "gateway-client");
  assert.equal(missing.ok, false);
  if (!missing.ok) {
    assert.equal(missing.error.detailCode, "AUTH_TOKEN_MISSING");
    assert.equal(missing.provided, false);
  }
  const pw = checkSharedSecret({ password: "x" }, { mode: "password", password: "right" }, "cli");
  assert.equal(!pw.ok && pw.error.detailCode, "AUTH_PASSWORD_MISMATCH");
});

Deno.test("checkSharedSecret() accepts anything in mode none", () => {
  assert.deepEqual(checkSharedSecret(undefined, { mode: "none" }, "cli"), {
    ok: true,
    method: "none",
  });
});
