/**
 * `gateway run` and `node connect` start by making a loose state dir private again and by
 * removing temp files that interrupted atomic writes left behind (a writer killed between
 * create and rename: older than a minute), while a fresh one (a write in progress) is kept.
 * @module
 */
import assert from "node:assert/strict";
import { startGatewayProcess } from "./helpers/cli.ts";
import { startNode } from "./helpers/node_process.ts";

const modeOf = (p: string) => Deno.statSync(p).mode! & 0o777;

/** A state dir with mode 0755, a 0755 subdir, a 2-minute-old temp file and a fresh one. */
async function looseStateDir(sub: string) {
  const dir = await Deno.makeTempDir({ prefix: "clawgate-loose-" });
  await Deno.mkdir(`${dir}/${sub}`);
  await Deno.chmod(dir, 0o755);
  await Deno.chmod(`${dir}/${sub}`, 0o755);
  const stale = `${dir}/${sub}/.nodes.json.4242.0badf00d.tmp`;
  const live = `${dir}/${sub}/.nodes.json.${Deno.pid}.0c0ffee0.tmp`;
  const unrelated = `${dir}/${sub}/.notes.tmp`;
  for (const f of [stale, live, unrelated]) await Deno.writeTextFile(f, "{");
  const twoMinutesAgo = new Date(Date.now() - 120_000);
  await Deno.utime(stale, twoMinutesAgo, twoMinutesAgo);
  await Deno.utime(unrelated, twoMinutesAgo, twoMinutesAgo);
  return { dir, sub: `${dir}/${sub}`, stale, live, unrelated };
}

Deno.test({
  name: "gateway run and node connect tighten a loose state dir and drop stale temp files",
  ignore: Deno.build.os === "windows",
  async fn() {
    const gwDir = await looseStateDir("pairing");
    const gw = await startGatewayProcess({ stateDir: gwDir.dir });
    const nodeDir = await looseStateDir("identity");
    const node = startNode(["--url", gw.url, "--token", gw.token], nodeDir.dir);
    try {
      for (const d of [gwDir, nodeDir]) {
        if (d === nodeDir) await node.waitFor(/"state":"connected"/);
        assert.equal(modeOf(d.dir), 0o700);
        assert.equal(modeOf(d.sub), 0o700);
        assert.equal(await Deno.stat(d.stale).then(() => true, () => false), false, d.stale);
        assert.ok(Deno.statSync(d.live).isFile, "a fresh temp file is kept");
        assert.ok(Deno.statSync(d.unrelated).isFile, "other files are never touched");
      }
      assert.match(gw.logs(), /state dir .*-loose-\S+ was mode 0755: tightened to 0700/);
      assert.match(gw.logs(), /removed 1 stale temp file\(s\) of interrupted writes in .*pairing/);
      assert.match(
        node.stderr(),
        /removed 1 stale temp file\(s\) of interrupted writes in .*identity/,
      );
    } finally {
      node.signal("SIGTERM");
      await node.status;
      await gw.stop();
    }
  },
});
