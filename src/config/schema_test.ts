import assert from "node:assert/strict";
import { parseConfig } from "./parse.ts";
import { ConfigError } from "./parse.ts";
import { envSetting, loadConfig, resolveGatewayPort } from "./load.ts";

Deno.test("parseConfig() accepts the JSON5 example with comments, unquoted keys and trailing commas", () => {
  const c = parseConfig(
    `// clawgate
    { gateway: { port: 18790, bind: 'loopback', auth: { mode: "token", token: "abc", }, }, agents: {x: 1} }`,
    "c.json",
  );
  assert.equal(c.gateway?.port, 18790);
  assert.equal(c.gateway?.auth?.token, "abc");
});

Deno.test("parseConfig() names the file and the key path of a wrong value", () => {
  assert.throws(
    () => parseConfig(`{gateway: {auth: {mode: "magic"}}}`, "/etc/c.json"),
    (err: unknown) =>
      err instanceof ConfigError && err.keyPath === "gateway.auth.mode" &&
      err.message.includes("/etc/c.json"),
  );
  assert.throws(
    () => parseConfig(`{gateway: {port: "x"}}`, "c.json"),
    (err: unknown) => err instanceof ConfigError && err.keyPath === "gateway.port",
  );
});

Deno.test("parseConfig() reports JSON5 syntax errors with the file", () => {
  assert.throws(
    () => parseConfig(`{gateway: `, "bad.json"),
    /Invalid config bad\.json: not valid JSON5/,
  );
});

Deno.test("envSetting() prefers CLAWGATE_ over OPENCLAW_", () => {
  const env = (k: string) =>
    ({ CLAWGATE_GATEWAY_TOKEN: "a", OPENCLAW_GATEWAY_TOKEN: "b" } as Record<string, string>)[k];
  assert.deepEqual(envSetting(env, "GATEWAY_TOKEN"), {
    value: "a",
    source: "CLAWGATE_GATEWAY_TOKEN",
  });
  const env2 = (k: string) => ({ OPENCLAW_GATEWAY_TOKEN: "b" } as Record<string, string>)[k];
  assert.equal(envSetting(env2, "GATEWAY_TOKEN")?.value, "b");
});

Deno.test("resolveGatewayPort() precedence is flag > env > file > default", () => {
  const none = () => undefined;
  const env = (k: string) => (k === "OPENCLAW_GATEWAY_PORT" ? "127.0.0.1:20001" : undefined);
  const cfg = { gateway: { port: 20002 } };
  assert.equal(resolveGatewayPort(20000, env, cfg), 20000);
  assert.equal(resolveGatewayPort(undefined, env, cfg), 20001);
  assert.equal(resolveGatewayPort(undefined, none, cfg), 20002);
  assert.equal(resolveGatewayPort(undefined, none, {}), 18789);
  assert.throws(() => resolveGatewayPort(undefined, () => "nope", {}), ConfigError);
});

Deno.test("loadConfig() treats a missing default file as empty but a missing --config as an error", async () => {
  const dir = await Deno.makeTempDir();
  const env = (k: string) => (k === "CLAWGATE_STATE_DIR" ? dir : undefined);
  const loaded = await loadConfig({ env });
  assert.equal(loaded.exists, false);
  assert.deepEqual(loaded.config, {});
  await assert.rejects(() => loadConfig({ env, configPath: `${dir}/nope.json` }), /file not found/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("parseConfig() reports a bad sshTarget, Key=Value option and remote name with their key paths", () => {
  const fails = (text: string, keyPath: string, message: RegExp) =>
    assert.throws(
      () => parseConfig(text, "c.json"),
      (err: unknown) =>
        err instanceof ConfigError && err.keyPath === keyPath && message.test(err.message),
    );
  fails(`{gateway: {remote: {sshTarget: "a b"}}}`, "gateway.remote.sshTarget", /ssh/i);
  fails(`{remotes: {lab: {sshOptions: ["nope"]}}}`, "remotes.lab.sshOptions.0", /Key=Value/);
  fails(`{remotes: {"../x": {}}}`, "remotes.../x", /letters, digits/);
  fails(`{gateway: {port: 1e20}}`, "gateway.port", /safe integer/);
  const c = parseConfig(`{gateway: {remote: {sshTarget: "me@host:2222", extra: 1}}}`, "c.json");
  assert.equal(c.gateway?.remote?.sshTarget, "me@host:2222");
  assert.equal((c.gateway?.remote as Record<string, unknown>).extra, 1);
});
