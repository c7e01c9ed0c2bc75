import assert from "node:assert/strict";
import { dispatchInvoke, invokeLogFields, invokeResultParams } from "./invoke_dispatch.ts";
import { Executor } from "./executor.ts";

const deps = { policy: { mode: "full" as const, allow: [] }, executor: new Executor({}) };
const req = (command: string, paramsJSON: string | null) => ({
  id: "i1",
  nodeId: "n1",
  command,
  paramsJSON,
});

Deno.test("dispatchInvoke() answers an unknown command with UNAVAILABLE command not supported", async () => {
  assert.deepEqual(await dispatchInvoke(req("camera.snap", "{}"), deps), {
    ok: false,
    code: "UNAVAILABLE",
    message: "command not supported",
  });
});

Deno.test("dispatchInvoke() refuses missing or malformed params with INVALID_REQUEST", async () => {
  assert.deepEqual(await dispatchInvoke(req("system.run", null), deps), {
    ok: false,
    code: "INVALID_REQUEST",
    message: "paramsJSON required",
  });
  assert.deepEqual(await dispatchInvoke(req("system.which", "{"), deps), {
    ok: false,
    code: "INVALID_REQUEST",
    message: "malformed JSON",
  });
});

Deno.test("dispatchInvoke() runs system.which and system.run and reports exec.finished", async () => {
  const which = await dispatchInvoke(req("system.which", '{"bins":["sh"]}'), deps);
  assert.ok(which.ok);
  assert.match((which.payload as { bins: Record<string, string> }).bins.sh, /\/sh$/);
  const finished: Record<string, unknown>[] = [];
  const run = await dispatchInvoke(req("system.run", '{"command":["echo","hi"]}'), {
    ...deps,
    onExecFinished: (p) => finished.push(p),
  });
  assert.ok(run.ok);
  assert.equal((run.payload as { stdout: string }).stdout, "hi\n");
  assert.equal(finished[0].command, "echo hi");
  assert.deepEqual(invokeResultParams(req("x", null), { ok: false, code: "C", message: "m" }), {
    id: "i1",
    nodeId: "n1",
    ok: false,
    error: { code: "C", message: "m" },
  });
});

Deno.test("dispatchInvoke() reports a missing program clearly and logs failed runs as ok=false", async () => {
  const finished: Record<string, unknown>[] = [];
  const missing = await dispatchInvoke(
    req("system.run", '{"command":["no-such-binary-clawgate","x y"]}'),
    { ...deps, onExecFinished: (p) => finished.push(p) },
  );
  assert.ok(missing.ok);
  assert.equal(
    (missing.payload as { error: string }).error,
    "no-such-binary-clawgate: command not found on the node (not on its PATH)",
  );
  assert.equal(finished[0].command, 'no-such-binary-clawgate "x y"');
  assert.deepEqual(invokeLogFields(missing), {
    ok: false,
    exitCode: null,
    error: "no-such-binary-clawgate: command not found on the node (not on its PATH)",
  });
  const failed = await dispatchInvoke(req("system.run", '{"command":["sh","-c","exit 3"]}'), deps);
  assert.deepEqual(invokeLogFields(failed), { ok: false, exitCode: 3 });
  const timedOut = await dispatchInvoke(
    req("system.run", '{"command":["sleep","5"],"timeoutMs":100}'),
    deps,
  );
  assert.equal(invokeLogFields(timedOut).ok, false);
  assert.equal(invokeLogFields(timedOut).timedOut, true);
});
