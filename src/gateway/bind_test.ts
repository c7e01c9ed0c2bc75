import assert from "node:assert/strict";
import { isLoopbackHost, resolveBindHost } from "./bind.ts";

Deno.test("resolveBindHost() maps each mode as OpenClaw's resolveGatewayBindHost", () => {
  const none = { tailnet: () => undefined, container: () => false };
  assert.equal(resolveBindHost("loopback", undefined, none), "127.0.0.1");
  assert.equal(resolveBindHost("lan", undefined, none), "0.0.0.0");
  assert.equal(resolveBindHost("tailnet", undefined, none), "127.0.0.1");
  assert.equal(
    resolveBindHost("tailnet", undefined, { tailnet: () => "100.101.102.103" }),
    "100.101.102.103",
  );
  assert.equal(resolveBindHost("custom", "10.0.0.5", none), "10.0.0.5");
  assert.equal(resolveBindHost("custom", undefined, none), "0.0.0.0");
  assert.equal(resolveBindHost("auto", undefined, none), "127.0.0.1");
  assert.equal(resolveBindHost("auto", undefined, { container: () => true }), "0.0.0.0");
});

Deno.test("isLoopbackHost() recognises IPv4/IPv6 loopback only", () => {
  for (const h of ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"]) {
    assert.equal(isLoopbackHost(h), true, h);
  }
  for (const h of ["0.0.0.0", "10.0.0.1", "100.64.0.1", "example.com", "::"]) {
    assert.equal(isLoopbackHost(h), false, h);
  }
});
