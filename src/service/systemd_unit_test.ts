import assert from "node:assert/strict";
import { renderLaunchdPlist, xmlEscape } from "./launchd_plist.ts";
import { selfCommand } from "./program_args.ts";
import { launchdLabel, serviceFilePath, type ServiceSpec, systemdUnitName } from "./spec.ts";
import {
  parseSystemdUnit,
  renderSystemdUnit,
  splitSystemdWords,
  systemdQuote,
} from "./systemd_unit.ts";

const SECRET = "s3cr3t-token-value";

function spec(over: Partial<ServiceSpec> = {}): ServiceSpec {
  return {
    kind: "gateway",
    profile: "work",
    scope: "user",
    description: "clawgate gateway (profile work)",
    programArguments: [
      "/opt/my apps/clawgate",
      "--profile",
      "work",
      "gateway",
      "run",
      "--port",
      "19849",
      "--token-file",
      "/home/u/.clawgate-work/service/gateway.token",
    ],
    environment: { CLAWGATE_STATE_DIR: "/home/u/.clawgate-work", Z_PCT: "50%$HOME" },
    workingDirectory: "/home/u/.clawgate-work",
    restartSec: 5,
    ...over,
  };
}

Deno.test("renderSystemdUnit(): every field, restart policy, journal logging", () => {
  const text = renderSystemdUnit(spec());
  const lines = text.split("\n");
  for (
    const want of [
      "[Unit]",
      "Description=clawgate gateway (profile work)",
      "After=network-online.target",
      "Wants=network-online.target",
      "StartLimitIntervalSec=300",
      "StartLimitBurst=10",
      "[Service]",
      "Type=simple",
      'ExecStart="/opt/my apps/clawgate" --profile work gateway run --port 19849 --token-file /home/u/.clawgate-work/service/gateway.token',
      "WorkingDirectory=/home/u/.clawgate-work",
      "Environment=CLAWGATE_STATE_DIR=/home/u/.clawgate-work",
      "Environment=Z_PCT=50%%$HOME",
      "Restart=always",
      "RestartSec=5",
      "RestartPreventExitStatus=2 3",
      "KillMode=mixed",
      "StandardOutput=journal",
      "StandardError=journal",
      "[Install]",
      "WantedBy=default.target",
    ]
  ) assert.ok(lines.includes(want), `missing line: ${want}\n${text}`);
  assert.ok(text.endsWith("\n"));
  assert.ok(
    renderSystemdUnit(spec({ scope: "system" })).includes("WantedBy=multi-user.target"),
  );
});

Deno.test("renderSystemdUnit(): argv and env survive quoting (spaces, quotes, $, %, \\)", () => {
  const args = ["/x y/bin", "a b", 'q"uote', "back\\slash", "$HOME", "100%", "semi;colon", ""];
  const env = { A: "with space", B: "$NOT_EXPANDED", C: "50%" };
  const parsed = parseSystemdUnit(
    renderSystemdUnit(spec({ programArguments: args, environment: env })),
  );
  assert.deepEqual(parsed.execStart, args);
  assert.deepEqual(parsed.environment, env);
  assert.equal(systemdQuote("plain"), "plain");
  assert.equal(systemdQuote("$X"), "$$X");
  assert.deepEqual(splitSystemdWords('"a b" c'), ["a b", "c"]);
});

Deno.test("renderSystemdUnit() refuses line breaks instead of writing a second directive", () => {
  assert.throws(
    () => renderSystemdUnit(spec({ programArguments: ["/bin/x", "a\nExecStartPre=/evil"] })),
    RangeError,
  );
  assert.throws(() => renderSystemdUnit(spec({ workingDirectory: "/a\n[Install]" })), RangeError);
});

Deno.test("no secret on the command line: the unit names the 0600 file, never the value", () => {
  const text = renderSystemdUnit(spec());
  assert.ok(!text.includes(SECRET));
  const exec = text.split("\n").find((l) => l.startsWith("ExecStart="))!;
  assert.doesNotMatch(exec, /--token(?!-file)\b|--password(?!-file)\b/);
  assert.match(exec, /--token-file \S+gateway\.token/);
});

Deno.test("names and paths: suffixed by profile, user vs system, systemd vs launchd", () => {
  const env = (k: string) => ({ HOME: "/home/u" } as Record<string, string>)[k];
  const id = { kind: "gateway" as const, profile: "work", scope: "user" as const };
  assert.equal(systemdUnitName({ ...id, profile: undefined }), "clawgate-gateway.service");
  assert.equal(systemdUnitName({ ...id, kind: "node" }), "clawgate-node-work.service");
  assert.equal(
    serviceFilePath(id, "systemd", env),
    "/home/u/.config/systemd/user/clawgate-gateway-work.service",
  );
  assert.equal(
    serviceFilePath(id, "systemd", (k) => (k === "XDG_CONFIG_HOME" ? "/x" : env(k))),
    "/x/systemd/user/clawgate-gateway-work.service",
  );
  assert.equal(
    serviceFilePath({ ...id, scope: "system" }, "systemd", env),
    "/etc/systemd/system/clawgate-gateway-work.service",
  );
  assert.equal(launchdLabel(id), "org.clawgate.gateway.work");
  assert.equal(
    serviceFilePath(id, "launchd", env),
    "/home/u/Library/LaunchAgents/org.clawgate.gateway.work.plist",
  );
  assert.equal(
    serviceFilePath({ ...id, scope: "system", profile: undefined }, "launchd", env),
    "/Library/LaunchDaemons/org.clawgate.gateway.plist",
  );
});

Deno.test("renderLaunchdPlist(): label, argv, env, restart on failure, logs; XML-escaped", () => {
  const text = renderLaunchdPlist(
    spec({ environment: { CLAWGATE_STATE_DIR: "/Users/u/a&b <c>" } }),
  );
  assert.match(text, /<key>Label<\/key>\s*<string>org\.clawgate\.gateway\.work<\/string>/);
  assert.match(
    text,
    /<key>ProgramArguments<\/key>\s*<array>\s*<string>\/opt\/my apps\/clawgate<\/string>\s*<string>--profile<\/string>/,
  );
  assert.match(
    text,
    /<key>CLAWGATE_STATE_DIR<\/key>\s*<string>\/Users\/u\/a&amp;b &lt;c&gt;<\/string>/,
  );
  assert.match(text, /<key>RunAtLoad<\/key>\s*<true\/>/);
  assert.match(text, /<key>KeepAlive<\/key>\s*<dict>\s*<key>SuccessfulExit<\/key>\s*<false\/>/);
  assert.match(text, /<key>ThrottleInterval<\/key>\s*<integer>5<\/integer>/);
  assert.match(
    text,
    /<key>StandardErrorPath<\/key>\s*<string>\/home\/u\/\.clawgate-work\/logs\/gateway\.log<\/string>/,
  );
  assert.ok(!text.includes(SECRET));
  assert.equal(xmlEscape(`<&>"'`), "&lt;&amp;&gt;&quot;&apos;");
  // Every <key> in a <dict> is followed by a value: a cheap well-formedness check.
  assert.equal((text.match(/<dict>/g) ?? []).length, (text.match(/<\/dict>/g) ?? []).length);
});

Deno.test("selfCommand(): compiled binary, the self-extracting file, or deno run + permissions", () => {
  assert.deepEqual(
    selfCommand({ kind: "compiled", execPath: "/usr/local/bin/clawgate", root: "" }),
    ["/usr/local/bin/clawgate"],
  );
  assert.deepEqual(
    selfCommand({
      kind: "single-file self-extracting",
      execPath: "/home/u/.cache/clawgate/x/deno",
      selfPath: "/opt/my apps/clawgate",
      root: "",
    }),
    ["/opt/my apps/clawgate"],
  );
  assert.throws(
    () => selfCommand({ kind: "single-file self-extracting", execPath: "/c/deno", root: "" }),
    /CLAWGATE_SELF/,
  );
  assert.deepEqual(
    selfCommand({
      kind: "source",
      execPath: "/usr/bin/deno",
      root: "/src tree",
      permissionsText: "# c\n--allow-net\n\n--allow-read\n",
    }),
    [
      "/usr/bin/deno",
      "run",
      "--quiet",
      "--no-prompt",
      "--config",
      "/src tree/deno.json",
      "--allow-net",
      "--allow-read",
      "/src tree/main.ts",
    ],
  );
  assert.throws(() =>
    selfCommand({ kind: "source", execPath: "/usr/bin/deno", root: "/r", permissionsText: "" })
  );
});
