import assert from "node:assert/strict";
import { dispatchInvoke, invokeResultParams } from "./invoke_dispatch.ts";
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
