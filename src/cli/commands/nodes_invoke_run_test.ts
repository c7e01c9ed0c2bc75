import assert from "node:assert/strict";
import { CliError, ExitCode } from "../exit_code.ts";
import { type InvokeInput, parseInvoke } from "./nodes_invoke_run.ts";

/** What commander hands over for `clawgate <raw…>` (operands after `nodes invoke`). */
function input(raw: string[], extra: Partial<InvokeInput> = {}): InvokeInput {
  const operands = raw.slice(2).filter((a, i, all) => !(a === "--" && all.indexOf("--") === i));
  const [query, maybeCommand, ...rest] = operands;
  return { query, command: maybeCommand, argv: rest, rawArgs: raw, operands, ...extra };
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
  const raw = ["nodes", "invoke", "box", "--", "echo", "hi"];
  const opts = parseInvoke({
    query: "box",
    command: "echo",
    argv: ["hi"],
    params: `{"cwd":"/tmp"}`,
    rawArgs: raw,
    operands: ["box", "echo", "hi"],
  });
  assert.deepEqual(opts, {
    query: "box",
    command: "system.run",
    params: { cwd: "/tmp", command: ["echo", "hi"] },
    invokeTimeoutMs: 30_000,
    rpcTimeoutMs: 30_000,
  });
});

Deno.test("parseInvoke(): a named command takes --params; --timeout sets both deadlines", () => {
  const opts = parseInvoke(
    input(["nodes", "invoke", "box", "system.which"], {
      params: `{"bins":["sh"]}`,
      timeout: "4000",
    }),
  );
  assert.equal(opts.command, "system.which");
  assert.deepEqual(opts.params, { bins: ["sh"] });
  assert.equal(opts.invokeTimeoutMs, 4000);
  assert.equal(opts.rpcTimeoutMs, 10_000);
});

Deno.test("parseInvoke(): usage errors say what is wrong", () => {
  usage(() => parseInvoke(input(["nodes", "invoke", "box"])), /Missing <command>/);
  usage(
    () =>
      parseInvoke({
        query: "box",
        argv: [],
        rawArgs: ["nodes", "invoke", "box", "--"],
        operands: ["box"],
      }),
    /Nothing after `--`/,
  );
  usage(
    () => parseInvoke({ ...input(["nodes", "invoke", "box", "system.run", "x"]) }),
    /Unexpected arguments: x/,
  );
  usage(
    () =>
      parseInvoke({
        query: "box",
        command: "system.which",
        argv: ["ls"],
        rawArgs: ["nodes", "invoke", "box", "system.which", "--", "ls"],
        operands: ["box", "system.which", "ls"],
      }),
    /only works with system.run/,
  );
  usage(
    () => parseInvoke(input(["nodes", "invoke", "box", "system.which"], { params: "{" })),
    /Invalid --params/,
  );
});
