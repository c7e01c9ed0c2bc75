import assert from "node:assert/strict";
import { CliError, ExitCode } from "../exit_code.ts";
import { type InvokeInput, parseInvoke } from "./nodes_invoke_run.ts";

/** The invoke input for `<node> [command] [more…] [-- argv…]`. */
function input(operands: string[], extra: Partial<InvokeInput> = {}): InvokeInput {
  const dash = operands.indexOf("--");
  const before = dash < 0 ? operands : operands.slice(0, dash);
  const [query, command, ...argv] = before;
  return {
    query,
    command,
    argv,
    afterDash: dash < 0 ? undefined : operands.slice(dash + 1),
    ...extra,
  };
}

function usage(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof CliError);
    assert.equal(err.exitCode, ExitCode.USAGE);
    assert.match(err.message, message);
    return true;
  });
}

Deno.test("parseInvoke(): `-- argv` is system.run with that argv, merged into --params", () => {
  const opts = parseInvoke(input(["box", "--", "echo", "hi"], { params: `{"cwd":"/tmp"}` }));
  assert.deepEqual(opts, {
    query: "box",
    command: "system.run",
    params: { cwd: "/tmp", command: ["echo", "hi"] },
    invokeTimeoutMs: 30_000,
    rpcTimeoutMs: 30_000,
  });
  assert.equal(parseInvoke(input(["box", "system.run", "--", "ls"])).command, "system.run");
});

Deno.test("parseInvoke(): a named command takes --params; --timeout sets both deadlines", () => {
  const opts = parseInvoke(
    input(["box", "system.which"], { params: `{"bins":["sh"]}`, timeout: "4000" }),
  );
  assert.equal(opts.command, "system.which");
  assert.deepEqual(opts.params, { bins: ["sh"] });
  assert.equal(opts.invokeTimeoutMs, 4000);
  assert.equal(opts.rpcTimeoutMs, 10_000);
});

Deno.test("parseInvoke(): usage errors say what is wrong", () => {
  usage(() => parseInvoke(input(["box"])), /Missing <command>/);
  usage(() => parseInvoke(input(["box", "--"])), /Nothing after `--`/);
  usage(() => parseInvoke(input(["box", "system.run", "x"])), /Unexpected arguments: x/);
  usage(() => parseInvoke(input(["box", "system.run", "x", "--", "ls"])), /before --: x/);
  usage(
    () => parseInvoke(input(["box", "system.which", "--", "ls"])),
    /only works with system.run/,
  );
  usage(
    () => parseInvoke(input(["box", "system.which"], { params: "{" })),
    /Invalid --params/,
  );
});
