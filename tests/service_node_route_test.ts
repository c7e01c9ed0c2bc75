/**
 * `node install` writes a unit whose ExecStart takes the route `node connect` would take with
 * the same flags and environment: `--ssh` (identity, options, remote port), `--remote NAME` and
 * `CLAWGATE_REMOTE`, `--host/--port/--tls`, `CLAWGATE_GATEWAY_URL`, secrets from flags, files or
 * env. Each install command line goes through the real parser and install plan; the unit's
 * ExecStart is then parsed back as the service will run it (with only the unit's environment)
 * and must resolve to the same route and secret, hold no secret inline, and pass
 * `systemd-analyze verify`.
 */
import assert from "node:assert/strict";
import { resolve } from "node:path";
import { createContext, type GlobalOptions } from "../src/cli/context.ts";
import { parseArgv } from "../src/cli/parse_argv.ts";
import { resolveSecretFlags } from "../src/cli/secret_input.ts";
import { programSpec } from "../src/cli/tree.ts";
import { type NodeConnectFlags, resolveNodeTarget } from "../src/cli/commands/node_connect_run.ts";
import { resolveNodeRemote } from "../src/cli/commands/node_ssh.ts";
import { nodeInstallPlan, serviceTarget } from "../src/cli/commands/service_plan.ts";
import { parseSystemdUnit } from "../src/service/systemd_unit.ts";
import { assertUnitVerifies } from "./helpers/systemd_verify.ts";

const SECRET = "tok-node-route-7373";

/** What `node connect` resolves for `argv` under `env`: the route and the secret. */
async function route(argv: string[], env: Record<string, string>) {
  const parsed = parseArgv(programSpec, argv);
  const flags = parsed.input.flags as Record<string, unknown>;
  resolveSecretFlags(flags, () => {});
  const ctx = createContext({
    signal: new AbortController().signal,
    env: (k) => env[k],
    stdout: () => {},
    stderr: () => {},
  }, parsed.globals as GlobalOptions);
  const f = flags as NodeConnectFlags;
  const remote = await resolveNodeRemote(ctx, f);
  const target = await resolveNodeTarget(ctx, f);
  return {
    ctx,
    flags: f,
    resolved: {
      // A relative identity means the same file as its absolute path from the install's cwd.
      ssh: remote?.kind === "ssh"
        ? { ...remote.route, identity: remote.route.identity && resolve(remote.route.identity) }
        : undefined,
      directUrl: remote?.kind === "direct" ? remote.url : undefined,
      url: remote ? undefined : target.url,
      secret: f.token ?? f.password ?? env.CLAWGATE_GATEWAY_TOKEN ??
        env.CLAWGATE_GATEWAY_PASSWORD ??
        remote?.token,
      tlsFingerprint: f.tlsFingerprint,
      displayName: f.displayName,
    },
  };
}

Deno.test("node install: the unit's ExecStart takes the route node connect would", async (t) => {
  const base = await Deno.makeTempDir({ prefix: "clawgate-node-route-" });
  const home = `${base}/home dir`;
  const runtime = `${base}/run`;
  await Deno.mkdir(home, { recursive: true });
  await Deno.mkdir(runtime, { mode: 0o700 });
  const tokenFile = `${base}/gw.token`;
  await Deno.writeTextFile(tokenFile, SECRET + "\n", { mode: 0o600 });
  const config = `${base}/clawgate.json`;
  await Deno.writeTextFile(
    config,
    JSON.stringify({
      remotes: {
        lab: {
          sshTarget: "ops@lab.example:2200",
          remotePort: 18800,
          sshOptions: ["Compression=yes"],
        },
        web: { transport: "direct", url: "wss://gw.example:443" },
      },
    }),
  );
  const shell = { HOME: home, USER: "u" };
  const cases: Array<{ name: string; argv: string[]; env?: Record<string, string> }> = [
    {
      name: "--ssh with identity, options, remote port and --token-file",
      argv: [
        "node",
        "install",
        "--ssh",
        "me@gw.example:2222",
        "--ssh-identity",
        "keys/id_ed25519",
        "--ssh-option",
        "ServerAliveInterval=7",
        "--ssh-option",
        "Compression=no",
        "--remote-port",
        "19000",
        "--token-file",
        tokenFile,
        "--display-name",
        "box 1",
      ],
    },
    {
      name: "--remote NAME (ssh remote) from --config, --token",
      argv: ["--config", config, "--remote", "lab", "node", "install", "--token", SECRET],
    },
    {
      name: "CLAWGATE_REMOTE + env token",
      argv: ["--config", config, "node", "install", "--remote-port", "18900"],
      env: { CLAWGATE_REMOTE: "lab", CLAWGATE_GATEWAY_TOKEN: SECRET },
    },
    {
      name: "--remote NAME (direct remote) with --password",
      argv: ["--config", config, "--remote", "web", "node", "install", "--password", SECRET],
    },
    {
      name: "--host --port --tls --tls-fingerprint",
      argv: [
        "--profile",
        "b",
        "node",
        "install",
        "--host",
        "10.0.0.5",
        "--port",
        "19999",
        "--tls",
        "--tls-fingerprint",
        "AB:CD",
        "--token",
        SECRET,
      ],
    },
    {
      name: "CLAWGATE_GATEWAY_URL + CLAWGATE_GATEWAY_PASSWORD",
      argv: ["node", "install"],
      env: { CLAWGATE_GATEWAY_URL: "ws://10.0.0.9:18789", CLAWGATE_GATEWAY_PASSWORD: SECRET },
    },
  ];
  try {
    for (const c of cases) {
      await t.step(c.name, async () => {
        const env = { ...shell, ...(c.env ?? {}) };
        const asked = await route(c.argv, env);
        const target = serviceTarget(asked.ctx, "node");
        const plan = await nodeInstallPlan(asked.ctx, target, asked.flags);
        assert.ok(!plan.content.includes(SECRET), plan.content);
        assert.ok(plan.secret, "the secret goes to a file");
        await Deno.mkdir(plan.secret.path.slice(0, plan.secret.path.lastIndexOf("/")), {
          recursive: true,
        });
        await Deno.writeTextFile(plan.secret.path, plan.secret.value, { mode: 0o600 });

        const unit = parseSystemdUnit(plan.content);
        const main = unit.execStart.findIndex((w) => w.endsWith("/main.ts"));
        const argv = unit.execStart.slice(main + 1);
        assert.deepEqual(argv.slice(argv.indexOf("node"), argv.indexOf("node") + 2), [
          "node",
          "connect",
        ]);
        // The service sees only the unit's environment (systemd adds HOME and USER).
        const ran = await route(argv, { ...shell, ...unit.environment });
        assert.deepEqual(ran.resolved, asked.resolved, plan.content);

        const dir = `${base}/units-${crypto.randomUUID()}`;
        await Deno.mkdir(dir);
        const file = `${dir}/${plan.path.split("/").pop()}`;
        await Deno.writeTextFile(file, plan.content);
        await assertUnitVerifies(file, runtime, { context: plan.content });
      });
    }
  } finally {
    await Deno.remove(base, { recursive: true });
  }
});
