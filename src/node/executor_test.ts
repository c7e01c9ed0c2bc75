import assert from "node:assert/strict";
import { Executor, truncationMarker } from "./executor.ts";

Deno.test("executor: echo hi", async () => {
  const r = await new Executor().run({ command: ["echo", "hi"] });
  assert.deepEqual(r, {
    exitCode: 0,
    timedOut: false,
    success: true,
    stdout: "hi\n",
    stderr: "",
    error: null,
  });
});

Deno.test("executor: nonzero exit, stderr, cwd and env", async () => {
  const dir = await Deno.realPath(await Deno.makeTempDir());
  try {
    const r = await new Executor().run({
      command: ["sh", "-c", 'pwd; echo "$FOO" >&2; exit 3'],
      cwd: dir,
      env: { FOO: "bar", PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
    });
    assert.equal(r.exitCode, 3);
    assert.equal(r.success, false);
    assert.equal(r.stdout, `${dir}\n`);
    assert.equal(r.stderr, "bar\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("executor: output capped with a marker", async () => {
  const r = await new Executor({ outputCapBytes: 1000 }).run({
    command: ["sh", "-c", "head -c 5000 /dev/zero | tr '\\0' x"],
  });
  assert.equal(r.success, true);
  assert.equal(r.stdout, "x".repeat(1000) + truncationMarker(4000));
});

Deno.test("executor: timeout kills the process group", async () => {
  const t0 = performance.now();
  const r = await new Executor().run({
    command: ["sh", "-c", "sleep 5 & sleep 5"],
    timeoutMs: 300,
  });
  const elapsed = performance.now() - t0;
  assert.equal(r.timedOut, true);
  assert.equal(r.success, false);
  assert.equal(r.exitCode, null);
  assert.ok(elapsed < 2500, `took ${elapsed}ms`);
});

Deno.test("executor: missing working directory → clear error, no throw", async () => {
  const r = await new Executor().run({ command: ["/bin/sh", "-c", "true"], cwd: "/no/such/dir" });
  assert.equal(r.success, false);
  assert.equal(r.exitCode, null);
  assert.equal(
    r.error,
    "cannot run /bin/sh: no such file, or its working directory /no/such/dir does not exist",
  );
});

Deno.test("executor: env is the complete child environment; signals read as signals", async () => {
  Deno.env.set("CLAWGATE_EXECUTOR_TEST_INHERITED", "leak");
  try {
    const r = await new Executor().run({
      command: [
        "/bin/sh",
        "-c",
        'echo "[$CLAWGATE_EXECUTOR_TEST_INHERITED][$ONLY]"; kill -TERM $$',
      ],
      env: { ONLY: "this" },
    });
    assert.equal(r.stdout, "[][this]\n");
    assert.equal(r.exitCode, null);
    assert.equal(r.error, "terminated by SIGTERM");
  } finally {
    Deno.env.delete("CLAWGATE_EXECUTOR_TEST_INHERITED");
  }
});

Deno.test("executor: killAll stops running commands", async () => {
  const ex = new Executor();
  const p = ex.run({ command: ["sleep", "10"] });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(ex.runningCount, 1);
  ex.killAll();
  const r = await p;
  assert.equal(r.success, false);
  assert.equal(ex.runningCount, 0);
});
