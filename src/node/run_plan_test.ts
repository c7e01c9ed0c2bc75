import assert from "node:assert/strict";
import { formatExecCommand, planSystemRun } from "./run_plan.ts";

const full = { mode: "full" as const, allow: [] };
const nodeEnv = {
  PATH: "/usr/bin:/bin",
  HOME: "/home/n",
  CLAWGATE_GATEWAY_TOKEN: "t",
  LD_PRELOAD: "x",
};

Deno.test("formatExecCommand() quotes whitespace, quotes and empty arguments", () => {
  assert.equal(formatExecCommand(["echo", "a b", 'say "hi"', ""]), 'echo "a b" "say \\"hi\\"" ""');
});

Deno.test("planSystemRun() resolves argv[0] on the node's PATH and builds the child env", async () => {
  const out = await planSystemRun(
    { command: ["sh", "-c", "echo $X"], env: { X: "1" } },
    full,
    nodeEnv,
  );
  assert.equal(out.kind, "run");
  if (out.kind !== "run") return;
  assert.match(out.plan.program, /^\/(usr\/)?bin\/sh$/);
  assert.deepEqual(out.plan.env, { PATH: "/usr/bin:/bin", HOME: "/home/n", X: "1" });
});

Deno.test("planSystemRun() accepts a sh -c script as rawCommand, refuses other text", async () => {
  const argv = ["sh", "-c", "echo hi"];
  assert.equal(
    (await planSystemRun({ command: argv, rawCommand: "echo hi" }, full, nodeEnv)).kind,
    "run",
  );
  assert.equal(
    (await planSystemRun({ command: argv, rawCommand: 'sh -c "echo hi"' }, full, nodeEnv)).kind,
    "run",
  );
  assert.deepEqual(await planSystemRun({ command: argv, rawCommand: "ls" }, full, nodeEnv), {
    kind: "refused",
    refusal: {
      code: "INVALID_REQUEST",
      message: "INVALID_REQUEST: rawCommand does not match command",
    },
  });
});

Deno.test("planSystemRun() resolves relative paths against the request cwd; says what is missing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/tool`, "#!/bin/sh\n");
    await Deno.chmod(`${dir}/tool`, 0o755);
    const found = await planSystemRun({ command: ["./tool"], cwd: dir }, full, nodeEnv);
    assert.equal(found.kind === "run" && found.plan.program, `${dir}/tool`);
    const missing = await planSystemRun({ command: ["./nope"], cwd: dir }, full, nodeEnv);
    assert.equal(
      missing.kind === "not-found" && missing.message,
      "./nope: no such executable file on the node",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
