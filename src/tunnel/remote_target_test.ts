import assert from "node:assert/strict";
import { ConfigError, parseConfig } from "../config/parse.ts";
import { parseSshTarget } from "../config/ssh_target.ts";
import { forwardKey, resolveRemote, routeSshArgs, UnknownRemoteError } from "./remote_target.ts";

const noEnv = () => undefined;

Deno.test("parseSshTarget() splits user, host and port (IPv6 in brackets)", () => {
  assert.deepEqual(parseSshTarget("me@box:2222"), {
    destination: "me@box",
    user: "me",
    host: "box",
    port: 2222,
  });
  assert.deepEqual(parseSshTarget("box"), {
    destination: "box",
    user: undefined,
    host: "box",
    port: undefined,
  });
  assert.equal(parseSshTarget("me@[::1]:22").host, "::1");
  assert.equal(parseSshTarget("me@::1").port, undefined);
  for (const bad of ["", "-oProxyCommand=x", "me@", "@box", "me@box:x", "me@box:70000", "a b"]) {
    assert.throws(() => parseSshTarget(bad), RangeError, bad);
  }
});

Deno.test("config: remotes and the new gateway.remote keys are type-checked with their key path", () => {
  const c = parseConfig(
    `{gateway: {mode: "remote", remote: {transport: "ssh", sshTarget: "me@h:2", sshOptions: ["A=b"], hostKeyPolicy: "accept-new"}},
      remotes: {lab: {sshTarget: "me@lab"}}}`,
    "c.json",
  );
  assert.equal(c.remotes?.lab.sshTarget, "me@lab");
  for (
    const [text, key] of [
      [`{gateway: {remote: {transport: "tcp"}}}`, "gateway.remote.transport"],
      [`{gateway: {remote: {sshTarget: "-oX"}}}`, "gateway.remote.sshTarget"],
      [`{remotes: {lab: {sshOptions: ["nope"]}}}`, "remotes.lab.sshOptions.0"],
      [`{remotes: {lab: {hostKeyPolicy: "yolo"}}}`, "remotes.lab.hostKeyPolicy"],
      [`{remotes: {"a b": {}}}`, "remotes.a b"],
    ]
  ) {
    assert.throws(
      () => parseConfig(text, "c.json"),
      (e: unknown) => e instanceof ConfigError && e.keyPath === key,
      text,
    );
  }
});

Deno.test("resolveRemote() selection order: --remote > CLAWGATE_REMOTE > gateway.mode remote > none", () => {
  const config = {
    gateway: { mode: "remote" as const, remote: { url: "wss://gw.example:443" } },
    remotes: { a: { sshTarget: "me@a" }, b: { sshTarget: "me@b:2200", remotePort: 19000 } },
  };
  const env = (k: string) => (k === "CLAWGATE_REMOTE" ? "b" : undefined);
  assert.equal(resolveRemote(config, { remoteName: "a", env })?.ssh?.destination, "me@a");
  const b = resolveRemote(config, { env })!;
  assert.equal(b.selectedBy, "env CLAWGATE_REMOTE");
  assert.deepEqual([b.ssh?.sshPort, b.ssh?.remotePort, b.ssh?.key], [
    2200,
    19000,
    forwardKey("me@b", 2200, 19000),
  ]);
  const d = resolveRemote(config, { env: noEnv })!;
  assert.deepEqual([d.transport, d.url, d.configKey], [
    "direct",
    "wss://gw.example:443",
    "gateway.remote",
  ]);
  assert.equal(
    resolveRemote({ gateway: { remote: { sshTarget: "me@x" } } }, { env: noEnv }),
    undefined,
  );
  // Credentials only (the hand-started tunnel setup): stays local.
  assert.equal(
    resolveRemote({ gateway: { mode: "remote", remote: { token: "t" } } }, { env: noEnv }),
    undefined,
  );
});

Deno.test("resolveRemote() errors: unknown names list the known ones; ssh without sshTarget names the key", () => {
  const config = { remotes: { a: { sshTarget: "me@a" }, c: { transport: "ssh" as const } } };
  assert.throws(
    () => resolveRemote(config, { remoteName: "zz", env: noEnv, configPath: "/x.json" }),
    (e: unknown) =>
      e instanceof UnknownRemoteError && /known remotes in \/x\.json: a, c/.test(e.message),
  );
  assert.throws(
    () => resolveRemote(config, { remoteName: "c", env: noEnv }),
    (e: unknown) => e instanceof ConfigError && e.keyPath === "remotes.c.sshTarget",
  );
});

Deno.test("routeSshArgs() carries port, identity, options and host-key policy", () => {
  const r = resolveRemote(
    {
      remotes: {
        a: {
          sshTarget: "me@a:2222",
          sshIdentity: "/k",
          sshOptions: ["UserKnownHostsFile=/kh"],
          hostKeyPolicy: "accept-new",
        },
      },
    },
    { remoteName: "a", env: noEnv },
  )!;
  const argv = routeSshArgs(r.ssh!, 40000);
  const s = argv.join(" ");
  assert.match(
    s,
    /-o UserKnownHostsFile=\/kh .*StrictHostKeyChecking=accept-new -p 2222 -o IdentitiesOnly=yes -i \/k -L 127\.0\.0\.1:40000:127\.0\.0\.1:18789 -- me@a$/,
  );
});
