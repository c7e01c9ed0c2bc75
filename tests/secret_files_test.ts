/**
 * `--token-file` / `--password-file` and `CLAWGATE_GATEWAY_{TOKEN,PASSWORD}_FILE` against a real
 * gateway: the secret never appears in argv, files are trimmed, loose modes warn, bad files
 * exit 3, a value plus its file exits 2.
 * @module
 */
import assert from "node:assert/strict";
import { runClawgate, startGatewayProcess } from "./helpers/cli.ts";
import { startNode } from "./helpers/node_process.ts";

async function secretFile(secret: string, mode = 0o600): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "clawgate-secret-" });
  const path = `${dir}/secret`;
  await Deno.writeTextFile(path, secret + "\n");
  await Deno.chmod(path, mode);
  return path;
}

Deno.test("--token-file / --password-file work for gateway run, operator commands and node connect", async () => {
  const token = `tok-${crypto.randomUUID()}`;
  const tokenFile = await secretFile(token);
  const gw = await startGatewayProcess({ token: null, args: ["--token-file", tokenFile] });
  const nodeDir = await Deno.makeTempDir({ prefix: "clawgate-node-" });
  const node = startNode(["--url", gw.url, "--token-file", tokenFile], nodeDir);
  try {
    // Operator: flag file with --url, env file without.
    const byFlag = await runClawgate(["health", "--url", gw.url, "--token-file", tokenFile]);
    assert.equal(byFlag.code, 0, byFlag.stderr);
    assert.doesNotMatch(byFlag.stderr, /warning/);
    const byEnv = await runClawgate(["--json", "gateway", "call", "health"], {
      env: {
        CLAWGATE_GATEWAY_URL: gw.url,
        CLAWGATE_GATEWAY_TOKEN_FILE: tokenFile,
        CLAWGATE_STATE_DIR: nodeDir,
      },
    });
    assert.equal(byEnv.code, 0, byEnv.stderr);
    // The node authenticated with the file's token (else it would exit 7).
    await node.waitFor(/"state":"connected"/);
    const wrong = await runClawgate([
      "health",
      "--url",
      gw.url,
      "--token-file",
      await secretFile("nope"),
    ]);
    assert.equal(wrong.code, 7, wrong.stderr);
  } finally {
    node.signal("SIGTERM");
    await node.status;
    await gw.stop();
  }
});

Deno.test("gateway run --password-file; loose file modes warn", async () => {
  const password = `pw-${crypto.randomUUID()}`;
  const loose = await secretFile(password, 0o644);
  const gw = await startGatewayProcess({
    token: null,
    args: ["--auth", "password", "--password-file", loose],
  });
  try {
    assert.match(
      gw.logs(),
      /secret file .* is readable by group or others \(mode 0644\); run: chmod 600/,
    );
    const ok = await runClawgate(["health", "--url", gw.url, "--password-file", loose]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /warning: secret file .*--password-file.* readable by group or others/);
    const viaEnv = await runClawgate(["health"], {
      env: { CLAWGATE_GATEWAY_URL: gw.url, OPENCLAW_GATEWAY_PASSWORD_FILE: loose },
    });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
  } finally {
    await gw.stop();
  }
});

Deno.test("bad secret files: missing/empty exit 3, value plus file exit 2", async () => {
  const good = await secretFile("x");
  const empty = await secretFile("");
  const url = "ws://127.0.0.1:9"; // never reached: resolution fails first
  const missing = await runClawgate(["health", "--url", url, "--token-file", "/nonexistent/tok"]);
  assert.equal(missing.code, 3, missing.stderr);
  assert.match(
    missing.stderr,
    /Cannot read secret file \/nonexistent\/tok \(--token-file\): file not found/,
  );
  const emptyRes = await runClawgate(["--json", "health", "--url", url, "--token-file", empty]);
  assert.equal(emptyRes.code, 3);
  assert.equal(JSON.parse(emptyRes.stdout).error.code, "config");
  const both = await runClawgate(["health", "--url", url, "--token", "t", "--token-file", good]);
  assert.equal(both.code, 2, both.stderr);
  assert.match(both.stderr, /--token and --token-file cannot be used together/);
  const envBoth = await runClawgate(["health"], {
    env: {
      CLAWGATE_GATEWAY_TOKEN: "t",
      CLAWGATE_GATEWAY_TOKEN_FILE: good,
      CLAWGATE_GATEWAY_PORT: "9",
    },
  });
  assert.equal(envBoth.code, 2, envBoth.stderr);
  assert.match(
    envBoth.stderr,
    /CLAWGATE_GATEWAY_TOKEN and CLAWGATE_GATEWAY_TOKEN_FILE are both set/,
  );
  const envMissing = await runClawgate(["node", "connect"], {
    env: { CLAWGATE_GATEWAY_PASSWORD_FILE: "/nonexistent/pw", CLAWGATE_GATEWAY_PORT: "9" },
  });
  assert.equal(envMissing.code, 3, envMissing.stderr);
  assert.match(envMissing.stderr, /env CLAWGATE_GATEWAY_PASSWORD_FILE/);
});
