/**
 * `clawgate nodes invoke` input and exit codes against a real gateway and node: the `--` that
 * `deno task clawgate -- …` adds in front, `--json` exit codes, timeouts (exit 5), a missing
 * program, and the node's log for failed runs.
 * @module
 */
import assert from "node:assert/strict";
import { invokeOperands } from "../src/cli/commands/nodes_invoke_run.ts";
import { parseArgv } from "../src/cli/parse_argv.ts";
import { programSpec } from "../src/cli/tree.ts";
import { runClawgate, startGatewayProcess } from "./helpers/cli.ts";
import { startApprovedNode } from "./helpers/node_process.ts";

Deno.test("nodes invoke: the argv starts after the `--` that follows the invoke operands", () => {
  const cases: Array<[string[], { before: string[]; afterDash?: string[] }]> = [
    [["nodes", "invoke", "b", "--", "echo", "hi"], { before: ["b"], afterDash: ["echo", "hi"] }],
    [["--", "nodes", "invoke", "b", "--", "echo", "hi"], {
      before: ["b"],
      afterDash: ["echo", "hi"],
    }],
    [["nodes", "invoke", "b", "--", "echo", "--", "x"], {
      before: ["b"],
      afterDash: ["echo", "--", "x"],
    }],
    [["nodes", "invoke", "b", "system.run", "--", "id"], {
      before: ["b", "system.run"],
      afterDash: ["id"],
    }],
    [["nodes", "invoke", "b", "--json", "--", "ls", "--json"], {
      before: ["b"],
      afterDash: ["ls", "--json"],
    }],
    [["--", "nodes", "invoke", "b", "system.which"], { before: ["b", "system.which"] }],
    [["nodes", "invoke", "b", "echo"], { before: ["b", "echo"] }],
  ];
  for (const [raw, want] of cases) {
    const { path, input } = parseArgv(programSpec, raw);
    assert.equal(path.map((c) => c.name).join(" "), "clawgate nodes invoke");
    const split = invokeOperands(input.args, input.afterDash);
    assert.deepEqual(
      { before: split.before, ...(split.afterDash ? { afterDash: [...split.afterDash] } : {}) },
      want,
      raw.join(" "),
    );
  }
});

Deno.test("nodes invoke: leading --, --json exit codes, timeout exit 5, missing program, node log", async () => {
  const gw = await startGatewayProcess();
  const node = await startApprovedNode(gw, "box");
  // As `deno task clawgate -- …` runs it: connection from env, a `--` first.
  const env = { CLAWGATE_GATEWAY_URL: gw.url, CLAWGATE_GATEWAY_TOKEN: gw.token };
  const clawgate = (...args: string[]) => runClawgate(args, { env });
  try {
    const hi = await clawgate("--", "nodes", "invoke", "box", "--", "echo", "hi");
    assert.equal(hi.code, 0, hi.stderr);
    assert.equal(hi.stdout, "hi\n");

    const human = await clawgate("nodes", "invoke", "box", "--", "sh", "-c", "exit 3");
    assert.equal(human.code, 3, human.stderr);
    const json = await clawgate("--json", "nodes", "invoke", "box", "--", "sh", "-c", "exit 3");
    assert.equal(json.code, 3, json.stderr);
    assert.equal(JSON.parse(json.stdout).payload.exitCode, 3);

    for (const form of [[], ["--json"]]) {
      const slow = await clawgate(
        ...form,
        "nodes",
        "invoke",
        "box",
        "--timeout",
        "1000",
        "--",
        "sleep",
        "30",
      );
      assert.equal(slow.code, 5, `${form.join(" ")}: ${slow.stdout}${slow.stderr}`);
    }

    const missing = await clawgate("nodes", "invoke", "box", "--", "no-such-binary-clawgate");
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no-such-binary-clawgate: command not found on the node/);
    assert.doesNotMatch(missing.stderr, /ENOENT|spawn/);

    // Six system.run invokes; the node logs each when its run ends.
    await node.waitFor(/( invoke command=system\.run[^\n]*\n[^]*){6}/);
    const lines = node.stderr().split("\n").filter((l) => / invoke command=system\.run/.test(l));
    assert.equal(lines.length, 6, node.stderr());
    assert.equal(lines.filter((l) => / ok=true/.test(l)).length, 1, lines.join("\n"));
  } finally {
    node.signal("SIGTERM");
    await node.status;
    await gw.stop();
  }
});
