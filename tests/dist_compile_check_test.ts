/**
 * `deno compile` as far as this machine allows: scripts/compile.sh (the real build, with the
 * permission list) runs with `DENORT_BIN` pointed at this deno binary, because the real
 * `denort` runtime cannot be downloaded here. That still type-checks main.ts, resolves the
 * whole module graph, and embeds the npm packages, so a graph, include or permission-flag
 * error fails this test. The output is NOT a working clawgate (a full deno with an appended
 * payload ignores it) and is never run as the app; tests/dist_smoke_test.ts runs the real file.
 * @module
 */
import assert from "node:assert/strict";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("deno compile (scripts/compile.sh, DENORT_BIN=this deno) builds the module graph", async () => {
  const dir = await Deno.makeTempDir({ prefix: "clawgate-compile-" });
  try {
    const output = `${dir}/clawgate`;
    const out = await new Deno.Command("sh", {
      args: [`${ROOT}/scripts/compile.sh`, "--output", output],
      env: {
        DENORT_BIN: Deno.execPath(),
        PATH: `${dirOf(Deno.execPath())}:${Deno.env.get("PATH")}`,
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    // The payload (module graph, npm packages, permission metadata) is appended to the runtime.
    const runtime = Deno.statSync(Deno.execPath()).size;
    assert.ok(Deno.statSync(output).size > runtime + 100_000, "no payload appended");
    assert.match(stderr, /Files:/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

function dirOf(path: string): string {
  return path.replace(/\/[^/]*$/, "");
}
