// deno-lint-ignore-file no-console -- skip notices and timings are part of the test output
/**
 * Gateway TLS end to end, every CLI run through scripts/clawgate: `gateway run --tls-cert/--tls-key`
 * (and `gateway.tls` in config) serves wss:// and https:// on one port and logs the certificate
 * fingerprint; `health --url wss://…` with `gateway.remote.tlsFingerprint` (right pin → 0, wrong →
 * 7); `node connect --url wss://… --tls-fingerprint`; bad TLS files → exit 3. Certificates come
 * from openssl (the tests are skipped, loudly, without it).
 * @module
 */
import assert from "node:assert/strict";
import https from "node:https";
import { join } from "node:path";
import { baseEnv, CLAWGATE, runClawgate, startGatewayProcess } from "./helpers/cli.ts";

const HAVE_OPENSSL = await (async () => {
  try {
    return (await new Deno.Command("openssl", { args: ["version"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false;
  }
})();
if (!HAVE_OPENSSL) console.warn("SKIPPING tests/tls_test.ts: openssl is not installed");

/** A fresh self-signed P-256 certificate for 127.0.0.1 and its openssl SHA-256 fingerprint. */
async function makeCert(): Promise<{ dir: string; cert: string; key: string; fp: string }> {
  const dir = await Deno.makeTempDir({ prefix: "clawgate-tls-" });
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  const gen = await new Deno.Command("openssl", {
    args: [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      key,
      "-out",
      cert,
    ],
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.ok(gen.success, new TextDecoder().decode(gen.stderr));
  const out = await new Deno.Command("openssl", {
    args: ["x509", "-in", cert, "-noout", "-fingerprint", "-sha256"],
    stdout: "piped",
  }).output();
  const fp = new TextDecoder().decode(out.stdout).trim().split("=")[1];
  assert.match(fp, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  return { dir, cert, key, fp };
}

async function writeConfig(dir: string, name: string, config: unknown): Promise<string> {
  const path = join(dir, name);
  await Deno.writeTextFile(path, JSON.stringify(config));
  return path;
}

/** GET over https without CA checks (the pin is what the CLI checks; here only the route). */
function httpsGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      { host: "127.0.0.1", port, path, rejectUnauthorized: false, agent: false },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
  });
}

async function waitForOutput(
  child: Deno.ChildProcess,
  pattern: RegExp,
  timeoutMs = 20_000,
): Promise<{ text: () => string; done: Promise<void> }> {
  let text = "";
  const done = (async () => {
    for await (const c of child.stdout.pipeThrough(new TextDecoderStream())) text += c;
  })();
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(text)) {
    if (Date.now() > deadline) throw new Error(`timeout waiting for ${pattern}:\n${text}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { text: () => text, done };
}

Deno.test({
  name: "gateway TLS: wss+https on one port, fingerprint logged, pinned health, node connect",
  ignore: !HAVE_OPENSSL,
  async fn() {
    const { dir, cert, key, fp } = await makeCert();
    const gw = await startGatewayProcess({
      args: ["--tls-cert", cert, "--tls-key", key],
      tls: true,
      configPath: await writeConfig(dir, "gw.json", { gateway: { nodes: { autoApprove: true } } }),
    });
    try {
      assert.ok(gw.url.startsWith("wss://"));
      // The log names the URL scheme and the same fingerprint openssl prints.
      const deadline = Date.now() + 5_000;
      while (!gw.logs().includes("fingerprint") && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      assert.match(gw.logs(), new RegExp(`listening on wss://127\\.0\\.0\\.1:${gw.port}`));
      assert.ok(gw.logs().includes(fp), gw.logs());

      for (const path of ["/healthz", "/readyz"]) {
        const res = await httpsGet(gw.port, path);
        assert.equal(res.status, 200, `${path}: ${res.body}`);
      }

      const good = await writeConfig(dir, "good.json", {
        gateway: { remote: { tlsFingerprint: fp } },
      });
      const bad = await writeConfig(dir, "bad.json", {
        gateway: { remote: { tlsFingerprint: `sha256:${"ab".repeat(32)}` } },
      });
      const conn = ["--url", gw.url, "--token", gw.token];
      const ok = await runClawgate(["--config", good, "health", ...conn]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /OK/);
      const wrong = await runClawgate(["--config", bad, "health", ...conn]);
      assert.equal(wrong.code, 7, wrong.stderr);
      assert.match(wrong.stderr, /fingerprint mismatch/);
      assert.ok(wrong.stderr.includes(fp.replaceAll(":", "").toLowerCase()), wrong.stderr);
      // A pin on ws:// is refused before any connection.
      const plain = await runClawgate([
        "--config",
        good,
        "health",
        "--url",
        `ws://127.0.0.1:${gw.port}`,
        "--token",
        gw.token,
      ]);
      assert.notEqual(plain.code, 0);

      // Wall time of a whole pinned `health` (process start included), a few runs.
      const walls: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        const r = await runClawgate(["--config", good, "health", ...conn]);
        walls.push(Math.round(performance.now() - t0));
        assert.equal(r.code, 0, r.stderr);
      }
      console.log(`clawgate health over pinned wss (incl. process start): ${walls.join(", ")} ms`);

      const nodeDir = await Deno.makeTempDir({ prefix: "clawgate-node-" });
      const node = new Deno.Command(CLAWGATE, {
        args: [
          "--json",
          "node",
          "connect",
          "--url",
          gw.url,
          "--token",
          gw.token,
          "--tls-fingerprint",
          fp,
          "--display-name",
          "tls-box",
        ],
        env: baseEnv({ CLAWGATE_STATE_DIR: nodeDir }),
        clearEnv: true,
        stdout: "piped",
        stderr: "null",
        stdin: "null",
      }).spawn();
      try {
        const out = await waitForOutput(node, /"state":"connected"/);
        const list = await runClawgate(["--config", good, "--json", "nodes", "list", ...conn]);
        assert.equal(list.code, 0, list.stderr);
        const nodes = JSON.parse(list.stdout).nodes;
        assert.equal(nodes.length, 1, list.stdout);
        assert.equal(nodes[0].displayName, "tls-box");
        assert.equal(nodes[0].connected, true);
        node.kill("SIGTERM");
        assert.equal((await node.status).code, 0, out.text());
        await out.done;
      } finally {
        try {
          node.kill("SIGKILL");
        } catch { /* exited */ }
      }

      const wrongNode = await runClawgate([
        "node",
        "connect",
        "--url",
        gw.url,
        "--token",
        gw.token,
        "--tls-fingerprint",
        "ab".repeat(32),
      ], { env: { CLAWGATE_STATE_DIR: nodeDir } });
      assert.notEqual(wrongNode.code, 0);
      assert.match(wrongNode.stderr, /fingerprint mismatch/);
    } finally {
      assert.equal(await gw.stop(), 0);
    }
  },
});

Deno.test({
  name: "gateway TLS from config: gateway.tls.enabled with paths relative to the config file",
  ignore: !HAVE_OPENSSL,
  async fn() {
    const { dir, fp } = await makeCert();
    const config = await writeConfig(dir, "clawgate.json", {
      gateway: {
        tls: { enabled: true, certPath: "cert.pem", keyPath: "./key.pem" },
        remote: { tlsFingerprint: fp.replaceAll(":", "") },
      },
    });
    const gw = await startGatewayProcess({ configPath: config, tls: true });
    try {
      const ok = await runClawgate([
        "--config",
        config,
        "health",
        "--url",
        gw.url,
        "--token",
        gw.token,
      ]);
      assert.equal(ok.code, 0, ok.stderr);
      // A client stalled before the TLS handshake must not hold the shutdown open.
      const stalled = await Deno.connect({ hostname: "127.0.0.1", port: gw.port });
      try {
        const t0 = performance.now();
        assert.equal(await gw.stop(), 0);
        assert.ok(performance.now() - t0 < 8_000, "stop took too long");
      } finally {
        stalled.close();
      }
    } finally {
      await gw.stop();
    }
  },
});

Deno.test({
  name: "gateway TLS: bad files → exit 3 naming the file; TLS still needs auth off loopback",
  ignore: !HAVE_OPENSSL,
  async fn() {
    const { dir, cert, key } = await makeCert();
    const env = { CLAWGATE_STATE_DIR: dir };
    const missing = join(dir, "missing.pem");
    const r1 = await runClawgate(
      ["gateway", "run", "--port", "0", "--tls-cert", missing, "--tls-key", key],
      { env },
    );
    assert.equal(r1.code, 3, r1.stderr);
    assert.ok(r1.stderr.includes(missing), r1.stderr);

    const r2 = await runClawgate(
      ["gateway", "run", "--port", "0", "--tls-cert", cert, "--tls-key", cert],
      { env },
    );
    assert.equal(r2.code, 3, r2.stderr);
    assert.match(r2.stderr, /no PEM private key/);

    const r3 = await runClawgate(["gateway", "run", "--port", "0", "--tls-cert", cert], { env });
    assert.equal(r3.code, 3, r3.stderr);
    assert.match(r3.stderr, /both a certificate and a key/);

    const enabledNoPaths = await writeConfig(dir, "c.json", {
      gateway: { tls: { enabled: true } },
    });
    const r4 = await runClawgate(
      ["--config", enabledNoPaths, "gateway", "run", "--port", "0"],
      { env },
    );
    assert.equal(r4.code, 3, r4.stderr);

    const r5 = await runClawgate(
      [
        "gateway",
        "run",
        "--port",
        "0",
        "--bind",
        "lan",
        "--auth",
        "none",
        "--tls-cert",
        cert,
        "--tls-key",
        key,
      ],
      { env },
    );
    assert.equal(r5.code, 3, r5.stderr);
    assert.match(r5.stderr, /without auth/);
  },
});
