import assert from "node:assert/strict";
import { checkExecPolicy, parseExecPolicyMode } from "./exec_policy.ts";

Deno.test("exec policy: full allows, deny refuses with OpenClaw's message", () => {
  assert.equal(checkExecPolicy({ mode: "full", allow: [] }, ["rm", "-rf", "/tmp/x"]), null);
  assert.deepEqual(checkExecPolicy({ mode: "deny", allow: ["echo"] }, ["echo"]), {
    code: "UNAVAILABLE",
    message: "SYSTEM_RUN_DISABLED: security=deny",
  });
});

Deno.test("exec policy: allowlist by name or absolute path", () => {
  const p = { mode: "allowlist" as const, allow: ["echo", "/usr/bin/env"] };
  assert.equal(checkExecPolicy(p, ["echo", "hi"]), null);
  assert.equal(checkExecPolicy(p, ["/usr/bin/env"]), null);
  assert.equal(checkExecPolicy(p, ["env"], "/usr/bin/env"), null);
  assert.equal(
    checkExecPolicy(p, ["sh", "-c", "echo"])?.message,
    "SYSTEM_RUN_DENIED: allowlist miss",
  );
  // a path never matches a bare name entry (./echo is not "echo")
  assert.notEqual(checkExecPolicy(p, ["./echo"]), null);
});

Deno.test("parseExecPolicyMode", () => {
  assert.equal(parseExecPolicyMode(undefined), "full");
  assert.equal(parseExecPolicyMode("allowlist"), "allowlist");
  assert.equal(parseExecPolicyMode("nope"), null);
});
