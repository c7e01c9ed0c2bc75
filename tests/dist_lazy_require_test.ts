import assert from "node:assert/strict";
import { bundleArgs, deferNodeRequire } from "../scripts/dist_lazy_require.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("deferNodeRequire() rewrites what deno bundle writes for a CommonJS package, and the result runs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "clawgate-lazy-require-" });
  try {
    // ws requires Node built-ins (events, http, crypto…): its chunk needs __require.
    await Deno.writeTextFile(
      `${dir}/entry.ts`,
      'const { WebSocketServer } = await import("ws");\nconsole.log(typeof WebSocketServer);\n',
    );
    const bundle = await new Deno.Command(Deno.execPath(), {
      args: bundleArgs(ROOT, `${dir}/entry.ts`, `${dir}/out`),
      stderr: "piped",
    }).output();
    assert.ok(bundle.success, new TextDecoder().decode(bundle.stderr));
    let changed = 0;
    for (const e of Deno.readDirSync(`${dir}/out`)) {
      const path = `${dir}/out/${e.name}`;
      const r = deferNodeRequire(await Deno.readTextFile(path));
      if (r.changed) changed++;
      assert.ok(!r.code.includes('from "node:module"'), `${e.name} still imports node:module`);
      await Deno.writeTextFile(path, r.code);
    }
    assert.equal(changed, 1, "the helper chunk holds the eager createRequire once");
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--quiet", "--no-config", "--no-lock", "-A", `${dir}/out/entry.js`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(run.success, new TextDecoder().decode(run.stderr));
    assert.equal(new TextDecoder().decode(run.stdout).trim(), "function");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
