import assert from "node:assert/strict";
import { checkBrowserOrigin } from "./origin_check.ts";

const at = (origin: string, host: string, secure = false) => ({ origin, host, secure });

Deno.test("checkBrowserOrigin() refuses a DNS-rebinding page whose Host is its own name", () => {
  assert.equal(
    checkBrowserOrigin(at("http://evil.example:18789", "evil.example:18789"), [], true).ok,
    false,
  );
});

Deno.test("checkBrowserOrigin() matches scheme and port against the Host header", () => {
  assert.equal(
    checkBrowserOrigin(at("http://127.0.0.1:18789", "127.0.0.1:18789"), [], true).ok,
    true,
  );
  assert.equal(
    checkBrowserOrigin(at("https://127.0.0.1:18789", "127.0.0.1:18789"), [], true).ok,
    false,
  );
  assert.equal(
    checkBrowserOrigin(at("https://127.0.0.1:18789", "127.0.0.1:18789", true), [], true).ok,
    true,
  );
  assert.equal(
    checkBrowserOrigin(at("http://127.0.0.1:8080", "127.0.0.1:18789"), [], true).ok,
    false,
  );
  assert.equal(checkBrowserOrigin(at("http://[::1]:18789", "[::1]:18789"), [], true).ok, true);
  assert.equal(checkBrowserOrigin(at("http://10.0.0.5", "10.0.0.5:80"), [], false).ok, true);
});

Deno.test("checkBrowserOrigin() trusts a loopback Host only from a loopback peer", () => {
  assert.equal(
    checkBrowserOrigin(at("http://localhost:18789", "localhost:18789"), [], false).ok,
    false,
  );
});

Deno.test("checkBrowserOrigin() allowlist: exact, lowercase, '*'; junk origins refused", () => {
  const page = at("https://UI.example", "gw:18789");
  assert.equal(checkBrowserOrigin(page, ["https://ui.example"], false).ok, true);
  assert.equal(checkBrowserOrigin(page, ["https://ui.example:444"], false).ok, false);
  assert.equal(checkBrowserOrigin(page, ["*"], false).ok, true);
  for (const junk of ["null", "", "https://a.example/path", "https://u:p@a.example"]) {
    assert.deepEqual(checkBrowserOrigin(at(junk, "gw"), ["*"], true), {
      ok: false,
      reason: "origin missing or invalid",
    });
  }
});
