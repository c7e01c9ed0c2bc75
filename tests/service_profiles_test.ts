/**
 * Two isolated profiles on one host at once: two `gateway run`s selected by `--profile` and by
 * `CLAWGATE_PROFILE`, each on its own derived port with its own state dir and token, each
 * reached by `--profile`; a node paired to one is unknown to the other; `gateway status
 * --deep` warns about the other gateway; bad profile names are refused.
 */
import assert from "node:assert/strict";
import { defaultGatewayPort } from "../src/config/profile.ts";
import { runClawgate, startGatewayProcess } from "./helpers/cli.ts";
import { startNode } from "./helpers/node_process.ts";

function portFree(port: number): boolean {
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    return true;
  } catch {
    return false;
  }
}

/** A random profile name whose derived port is free now (bounded tries). */
function freeProfile(taken: number[] = []): string {
  for (let i = 0; i < 50; i++) {
    const name = `t${crypto.randomUUID().slice(0, 8)}`;
    const port = defaultGatewayPort(name);
    if (!taken.includes(port) && portFree(port)) return name;
  }
  throw new Error("no free profile port found in 50 tries");
}

Deno.test({
  name: "two profiles at once: own port, state, token; a node of one is unknown to the other",
  sanitizeResources: false,
  async fn() {
    const home = await Deno.makeTempDir({ prefix: "clawgate-profiles-" });
    const a = freeProfile();
    const b = freeProfile([defaultGatewayPort(a)]);
    const [portA, portB] = [defaultGatewayPort(a), defaultGatewayPort(b)];
    const env = { HOME: home };
    const byProfile = { stateDir: null, token: null, portFlag: false } as const;
    const gwA = await startGatewayProcess({
      ...byProfile,
      port: portA,
      globalArgs: ["--profile", a],
      env,
    });
    const gwB = await startGatewayProcess({
      ...byProfile,
      port: portB,
      env: { ...env, CLAWGATE_PROFILE: b },
    }).catch(async (err) => {
      await gwA.stop();
      throw err;
    });
    let node: ReturnType<typeof startNode> | undefined;
    try {
      const tokA = await Deno.readTextFile(`${home}/.clawgate-${a}/gateway-token`);
      const tokB = await Deno.readTextFile(`${home}/.clawgate-${b}/gateway-token`);
      assert.notEqual(tokA.trim(), tokB.trim());
      await assert.rejects(Deno.stat(`${home}/.clawgate`), Deno.errors.NotFound);

      for (const p of [a, b]) {
        const h = await runClawgate(["--profile", p, "--json", "gateway", "health"], { env });
        assert.equal(h.code, 0, h.stderr);
      }
      const statusA = await runClawgate(["--profile", a, "--json", "gateway", "status", "--deep"], {
        env,
      });
      const sa = JSON.parse(statusA.stdout);
      assert.equal(sa.url, `ws://127.0.0.1:${portA}`);
      assert.equal(sa.reachable, true);
      // B was started with CLAWGATE_PROFILE (not in its argv): found by its pid; A itself is
      // this profile's own gateway, not a second one.
      assert.ok(
        sa.warnings.some((w: string) => w.includes(`pid ${gwB.pid})`)),
        `expected a warning about gateway B: ${JSON.stringify(sa.warnings)}`,
      );
      assert.ok(!sa.warnings.some((w: string) => w.includes(`pid ${gwA.pid})`)));
      const statusB = await runClawgate(["--profile", b, "gateway", "status", "--deep"], { env });
      assert.match(
        statusB.stderr,
        new RegExp(
          `warning: another gateway on this host: running gateway \\(pid ${gwA.pid}\\) \\(profile ${a}\\)`,
        ),
      );

      // A node under profile A: its identity lives in A's state dir and it reaches A's port
      // with A's token, with no flags at all.
      node = startNode(["--display-name", "only-a"], `${home}/unused`, {
        CLAWGATE_PROFILE: a,
        HOME: home,
        CLAWGATE_STATE_DIR: "",
      });
      await node.waitFor(/"state":"connected"/, 30_000);
      const listA = await runClawgate(["--profile", a, "--json", "nodes", "list"], { env });
      assert.equal(listA.code, 0, listA.stderr);
      assert.deepEqual(
        JSON.parse(listA.stdout).nodes.map((n: { displayName: string }) => n.displayName),
        ["only-a"],
      );
      const listB = await runClawgate(["--profile", b, "--json", "nodes", "list"], { env });
      assert.equal(listB.code, 0, listB.stderr);
      assert.deepEqual(JSON.parse(listB.stdout).nodes, []);
      const pendingB = await runClawgate(["--profile", b, "--json", "nodes", "pending"], { env });
      assert.deepEqual(JSON.parse(pendingB.stdout), []);

      const bad = await runClawgate(["--profile", "../etc", "health"], { env });
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /Invalid profile name/);
      const badEnv = await runClawgate(["health"], { env: { ...env, CLAWGATE_PROFILE: "a/b" } });
      assert.equal(badEnv.code, 3, badEnv.stderr);
    } finally {
      node?.signal("SIGTERM");
      await node?.status;
      await gwA.stop();
      await gwB.stop();
      await Deno.remove(home, { recursive: true });
    }
  },
});
