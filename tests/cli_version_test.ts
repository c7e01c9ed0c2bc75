/**
 * `--version`: the bare flag is answered by main.ts before the command tree loads; it must print
 * exactly what the tree's own `--version` prints (reached here with `--json` in front, which
 * skips the fast path), on stdout, with exit 0 (through scripts/clawgate, as a user runs it).
 */
import assert from "node:assert/strict";
import { runClawgate } from "./helpers/cli.ts";

Deno.test("cli: --version and -V print the tree's version line and exit 0", async () => {
  const viaTree = await runClawgate(["--json", "--version"]);
  assert.equal(viaTree.code, 0);
  assert.match(viaTree.stdout, /^clawgate \d+\.\d+\.\d+ \(deno [^,]+, source\)\n$/);
  for (const flag of ["--version", "-V"]) {
    const fast = await runClawgate([flag]);
    assert.equal(fast.code, 0, flag);
    assert.equal(fast.stdout, viaTree.stdout, flag);
    assert.equal(fast.stderr, "", flag);
  }
});
