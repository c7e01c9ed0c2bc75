import assert from "node:assert/strict";
import { type CredentialInputs, pickCredentials } from "./credentials.ts";
import { resolveSecretFlags, withSecretFileEnv } from "./secret_input.ts";
import { createContext } from "./context.ts";
import { resolveCallTarget } from "./call_target.ts";
import { resolveNodeTarget } from "./commands/node_connect_run.ts";
import { tunnelCredentials } from "./commands/tunnel_commands_run.ts";

const envOf = (vars: Record<string, string>) => (k: string) => vars[k];
const AUTH = { token: "cfg-auth", authSource: "config gateway.auth" };
const REMOTE_PW = { password: "cfg-remote-pw", authSource: "config gateway.remote" };

/** The precedence table: flag (or file flag) > env (or env file) > config in caller order. */
const TABLE: Array<
  [string, Omit<CredentialInputs, "env"> & { env?: Record<string, string> }, unknown]
> = [
  ["token flag beats env and config", {
    flags: { token: "flag" },
    env: { CLAWGATE_GATEWAY_TOKEN: "env" },
    config: [AUTH],
  }, { token: "flag", password: undefined, authSource: "cli flag" }],
  ["a password flag is not mixed with an env token", {
    flags: { password: "flag-pw" },
    env: { CLAWGATE_GATEWAY_TOKEN: "env" },
  }, { token: undefined, password: "flag-pw", authSource: "cli flag" }],
  ["an env password is not mixed with a config token", {
    flags: {},
    env: { OPENCLAW_GATEWAY_PASSWORD: "env-pw" },
    config: [AUTH],
  }, { token: undefined, password: "env-pw", authSource: "env OPENCLAW_GATEWAY_PASSWORD" }],
  ["CLAWGATE_ beats OPENCLAW_", {
    flags: {},
    env: { CLAWGATE_GATEWAY_TOKEN: "cg", OPENCLAW_GATEWAY_TOKEN: "oc" },
  }, { token: "cg", password: undefined, authSource: "env CLAWGATE_GATEWAY_TOKEN" }],
  ["config sources in the caller's order; empty ones skipped", {
    flags: {},
    config: [{ authSource: "config remotes.lab" }, REMOTE_PW, AUTH],
  }, { token: undefined, password: "cfg-remote-pw", authSource: "config gateway.remote" }],
  ["nothing anywhere", { flags: {}, config: [{ authSource: "config gateway.auth" }] }, undefined],
  ["--url: env and config never count", {
    flags: {},
    env: { CLAWGATE_GATEWAY_TOKEN: "env" },
    config: [AUTH],
    explicitUrl: true,
  }, undefined],
  ["--url with a flag", {
    flags: { password: "flag-pw" },
    env: { CLAWGATE_GATEWAY_TOKEN: "env" },
    explicitUrl: true,
  }, { token: undefined, password: "flag-pw", authSource: "cli flag" }],
];

Deno.test("pickCredentials() follows the precedence table", () => {
  for (const [name, { env, ...rest }, want] of TABLE) {
    assert.deepEqual(pickCredentials({ ...rest, env: envOf(env ?? {}) }), want, name);
  }
});

Deno.test("pickCredentials() puts file flags with flags and env files with env", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/flag`, "from-flag-file\n", { mode: 0o600 });
    await Deno.writeTextFile(`${dir}/env`, "from-env-file\n", { mode: 0o600 });
    const flags: Record<string, unknown> = { tokenFile: `${dir}/flag` };
    resolveSecretFlags(flags, () => {});
    const env = withSecretFileEnv(envOf({ CLAWGATE_GATEWAY_TOKEN_FILE: `${dir}/env` }), () => {});
    assert.deepEqual(pickCredentials({ flags, env, config: [AUTH] }), {
      token: "from-flag-file",
      password: undefined,
      authSource: "cli flag",
    });
    assert.deepEqual(pickCredentials({ flags: {}, env, config: [AUTH] }), {
      token: "from-env-file",
      password: undefined,
      authSource: "env CLAWGATE_GATEWAY_TOKEN",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("operator commands, node connect and tunnel --once share the precedence", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      `${dir}/clawgate.json`,
      JSON.stringify({ gateway: { auth: { token: "cfg-auth" }, remote: { token: "cfg-remote" } } }),
    );
    const ctx = (vars: Record<string, string>) =>
      createContext({
        signal: new AbortController().signal,
        env: envOf({ CLAWGATE_STATE_DIR: dir, ...vars }),
        stdout: () => {},
        stderr: () => {},
      }, {});
    const envToken = { CLAWGATE_GATEWAY_TOKEN: "env-token" };
    const pick = (t: { token?: string; password?: string; authSource?: string }) => ({
      token: t.token,
      password: t.password,
      authSource: t.authSource,
    });
    const flagPw = { token: undefined, password: "flag-pw", authSource: "cli flag" };

    // A password flag beats an env token, whole: never the env token beside it.
    const c1 = ctx(envToken);
    assert.deepEqual(
      pick(await resolveCallTarget({ password: "flag-pw" }, c1.env, await c1.config())),
      flagPw,
    );
    assert.deepEqual(pick(await resolveNodeTarget(ctx(envToken), { password: "flag-pw" })), flagPw);
    assert.deepEqual(
      pick(await tunnelCredentials(ctx(envToken), undefined, { password: "flag-pw" })),
      { token: undefined, password: "flag-pw", authSource: "cli flag" },
    );

    // --url: no env or config secret goes to a typed URL.
    const url = "ws://10.9.9.9:18789";
    const c2 = ctx(envToken);
    await assert.rejects(resolveCallTarget({ url }, c2.env, await c2.config()), /explicit/);
    assert.deepEqual(pick(await resolveNodeTarget(ctx(envToken), { url })), {
      token: undefined,
      password: undefined,
      authSource: "stored device token (if any)",
    });

    // Without flags or env: each caller's config order.
    const c3 = ctx({});
    assert.equal((await resolveCallTarget({}, c3.env, await c3.config())).token, "cfg-remote");
    assert.equal((await resolveNodeTarget(ctx({}), {})).token, "cfg-auth");
    assert.equal((await tunnelCredentials(ctx({}), undefined, {})).token, "cfg-remote");
    // An explicit tunnel target gets flag or env credentials only.
    assert.deepEqual(await tunnelCredentials(ctx({}), "me@elsewhere", {}), {});
    assert.equal((await tunnelCredentials(ctx(envToken), "me@elsewhere", {})).token, "env-token");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
