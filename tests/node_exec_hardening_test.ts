// deno-lint-ignore-file no-console -- a skipped attack check says so on the test output
/**
 * `system.run` under attack against a real node: a planted fake `echo` reached through a `PATH`
 * override, a real `LD_PRELOAD` library built with the system `cc`, a `rawCommand` that lies
 * about argv, and the node's own secrets in the child's environment.
 * @module
 */
import assert from "node:assert/strict";
import { runClawgate, startGatewayProcess } from "./helpers/cli.ts";
import { startApprovedNode } from "./helpers/node_process.ts";

function hasCc(): boolean {
  try {
    return new Deno.Command("cc", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

/** A directory with an executable `echo` that leaves `<dir>/pwned` behind. */
async function plantFakeEcho(): Promise<{ dir: string; marker: string }> {
  const dir = await Deno.makeTempDir({ prefix: "clawgate-evil-" });
  const marker = `${dir}/pwned`;
  await Deno.writeTextFile(`${dir}/echo`, `#!/bin/sh\ntouch ${marker}\necho fake\n`);
  await Deno.chmod(`${dir}/echo`, 0o755);
  return { dir, marker };
}

/** A shared library whose constructor creates `<dir>/pwned`; undefined without `cc`. */
async function buildPreloadLib(): Promise<{ lib: string; marker: string } | undefined> {
  if (!hasCc()) return undefined;
  const dir = await Deno.makeTempDir({ prefix: "clawgate-preload-" });
  const marker = `${dir}/pwned`;
  await Deno.writeTextFile(
    `${dir}/evil.c`,
    `#include <fcntl.h>\n#include <unistd.h>\n__attribute__((constructor)) static void pwn(void) {\n` +
      `  int fd = open("${marker}", O_CREAT | O_WRONLY, 0600); if (fd >= 0) close(fd);\n}\n`,
  );
  const cc = await new Deno.Command("cc", {
    args: ["-shared", "-fPIC", "-o", `${dir}/evil.so`, `${dir}/evil.c`],
  }).output();
  assert.ok(cc.success, new TextDecoder().decode(cc.stderr));
  // The library does work when a program is started with it: the attack is real.
  await new Deno.Command("/bin/echo", { env: { LD_PRELOAD: `${dir}/evil.so` }, stdout: "null" })
    .output();
  assert.ok(await exists(marker), "the LD_PRELOAD library did not run in a direct check");
  await Deno.remove(marker);
  return { lib: `${dir}/evil.so`, marker };
}

Deno.test("system.run under --exec-policy allowlist --allow echo: PATH, LD_PRELOAD and rawCommand attacks are refused", async () => {
  const gw = await startGatewayProcess();
  const node = await startApprovedNode(gw, "locked", [
    "--exec-policy",
    "allowlist",
    "--allow",
    "echo",
  ]);
  const conn = ["--url", gw.url, "--token", gw.token];
  const invoke = (params: Record<string, unknown>, ...argv: string[]) =>
    runClawgate([
      "--json",
      "nodes",
      "invoke",
      "locked",
      ...conn,
      "--params",
      JSON.stringify(params),
      "--",
      ...argv,
    ]);
  try {
    const plain = await runClawgate(["nodes", "invoke", "locked", ...conn, "--", "echo", "hi"]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(plain.stdout, "hi\n");

    const fake = await plantFakeEcho();
    const viaPath = await invoke({ env: { PATH: fake.dir } }, "echo", "hi");
    assert.equal(viaPath.code, 6, viaPath.stdout + viaPath.stderr);
    assert.match(
      JSON.parse(viaPath.stdout).error.message,
      /SYSTEM_RUN_DENIED: environment override rejected \(blocked override keys: PATH\)/,
    );
    assert.equal(await exists(fake.marker), false, "the planted echo ran");

    const preload = await buildPreloadLib();
    if (!preload) {
      console.warn("SKIPPED: LD_PRELOAD attack check (no `cc` on this machine)");
    } else {
      const viaPreload = await invoke(
        { env: { LD_PRELOAD: preload.lib, ld_library_path: "/tmp", BASH_ENV: "/tmp/x" } },
        "echo",
        "hi",
      );
      assert.equal(viaPreload.code, 6, viaPreload.stdout + viaPreload.stderr);
      assert.match(
        JSON.parse(viaPreload.stdout).error.message,
        /blocked override keys: BASH_ENV, LD_LIBRARY_PATH, LD_PRELOAD\)/,
      );
      assert.equal(await exists(preload.marker), false, "the LD_PRELOAD library ran");
    }

    const lying = await invoke({ rawCommand: "echo harmless" }, "echo", "evil");
    assert.equal(lying.code, 6, lying.stdout + lying.stderr);
    assert.match(JSON.parse(lying.stdout).error.message, /rawCommand does not match command/);
    const honest = await invoke(
      { rawCommand: 'echo "a b"', env: { GREETING: "ok" } },
      "echo",
      "a b",
    );
    assert.equal(honest.code, 0, honest.stderr);
    assert.equal(JSON.parse(honest.stdout).payload.stdout, "a b\n");

    const other = await invoke({}, "sh", "-c", "echo escaped");
    assert.equal(other.code, 6);
    assert.match(JSON.parse(other.stdout).error.message, /SYSTEM_RUN_DENIED: allowlist miss/);
  } finally {
    node.signal("SIGTERM");
    await node.status;
    await gw.stop();
  }
});

Deno.test("system.run children get neither the node's secrets nor its loader variables", async () => {
  const gw = await startGatewayProcess();
  const node = await startApprovedNode(gw, "open", [], {
    CLAWGATE_GATEWAY_TOKEN: gw.token,
    CLAWGATE_GATEWAY_PASSWORD: "node-secret-password",
    OPENCLAW_GATEWAY_TOKEN: "node-secret-token",
    PYTHONPATH: "/tmp/evil-python",
    LD_AUDIT: "/tmp/evil-audit.so",
    CLAWGATE_HARMLESS_SETTING: "kept",
  });
  try {
    const env = await runClawgate([
      "nodes",
      "invoke",
      "open",
      "--url",
      gw.url,
      "--token",
      gw.token,
      "--",
      "env",
    ]);
    assert.equal(env.code, 0, env.stderr);
    assert.doesNotMatch(
      env.stdout,
      /node-secret|CLAWGATE_GATEWAY|OPENCLAW_GATEWAY|PYTHONPATH|LD_AUDIT/,
    );
    assert.doesNotMatch(env.stdout, new RegExp(gw.token));
    assert.match(env.stdout, /^CLAWGATE_HARMLESS_SETTING=kept$/m);
    assert.match(env.stdout, /^PATH=/m);
  } finally {
    node.signal("SIGTERM");
    await node.status;
    await gw.stop();
  }
});
