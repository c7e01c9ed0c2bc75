import assert from "node:assert/strict";
import { buildSshArgs, isOurSshCommandLine, withLinkForward } from "./ssh_args.ts";

Deno.test("buildSshArgs: defaults, strict host keys, forward on 127.0.0.1, -- before target", () => {
  const a = buildSshArgs({ target: "me@box", localPort: 18789, remotePort: 18789 });
  assert.deepEqual(a.slice(0, 2), ["-N", "-n"]);
  for (
    const o of [
      "BatchMode=yes",
      "ExitOnForwardFailure=yes",
      "ConnectTimeout=10",
      "ServerAliveInterval=15",
      "ServerAliveCountMax=3",
      "TCPKeepAlive=yes",
      "ControlMaster=no",
      "ControlPath=none",
      "ControlPersist=no",
      "StrictHostKeyChecking=yes",
    ]
  ) {
    assert.equal(a[a.indexOf(o) - 1], "-o", o);
  }
  assert.ok(!a.includes("-i") && !a.includes("IdentitiesOnly=yes") && !a.includes("-p"));
  assert.deepEqual(a.slice(-4), ["-L", "127.0.0.1:18789:127.0.0.1:18789", "--", "me@box"]);
});

Deno.test("buildSshArgs: identity, port, policies, passthrough first", () => {
  const a = buildSshArgs({
    target: "h",
    localPort: 1,
    remotePort: 2,
    sshPort: 2222,
    identity: "/k",
    hostKeyPolicy: "accept-new",
    sshOptions: ["UserKnownHostsFile=/kh"],
  });
  assert.equal(a[3], "UserKnownHostsFile=/kh");
  assert.ok(a.includes("StrictHostKeyChecking=accept-new"));
  assert.deepEqual(a.slice(a.indexOf("-p"), a.indexOf("-p") + 2), ["-p", "2222"]);
  assert.deepEqual(a.slice(a.indexOf("-i") - 2, a.indexOf("-i") + 2), [
    "-o",
    "IdentitiesOnly=yes",
    "-i",
    "/k",
  ]);
  const o = buildSshArgs({ target: "h", localPort: 1, remotePort: 2, hostKeyPolicy: "openssh" });
  assert.ok(!o.some((x) => x.startsWith("StrictHostKeyChecking")));
});

Deno.test("buildSshArgs: rejects option-like targets, bad ports and malformed options", () => {
  assert.throws(
    () => buildSshArgs({ target: "-oProxyCommand=x", localPort: 1, remotePort: 1 }),
    RangeError,
  );
  assert.throws(() => buildSshArgs({ target: "a b", localPort: 1, remotePort: 1 }), RangeError);
  assert.throws(() => buildSshArgs({ target: "h", localPort: 0, remotePort: 1 }), RangeError);
  assert.throws(
    () => buildSshArgs({ target: "h", localPort: 1, remotePort: 1, sshOptions: ["nokey"] }),
    RangeError,
  );
});

Deno.test("isOurSshCommandLine: matches our ssh (also via setpriv), not others", () => {
  const argv = ["ssh", ...buildSshArgs({ target: "h", localPort: 4000, remotePort: 18789 })];
  assert.ok(isOurSshCommandLine(argv, 4000));
  assert.ok(isOurSshCommandLine(["/usr/bin/setpriv", "--pdeathsig", "TERM", "--", ...argv], 4000));
  assert.ok(!isOurSshCommandLine(argv, 4001));
  assert.ok(!isOurSshCommandLine(["vim", "-N", "-L", "127.0.0.1:4000:x"], 4000));
  assert.ok(!isOurSshCommandLine([], 4000));
});

Deno.test("withLinkForward: the link-check forward goes before --, the gateway forward stays first", () => {
  const base = buildSshArgs({ target: "me@box", localPort: 18789, remotePort: 18789 });
  const args = withLinkForward(base, "/tmp/x/link.sock");
  assert.deepEqual(args.slice(-2), ["--", "me@box"]);
  assert.ok(args.includes("/tmp/x/link.sock:/dev/null/clawgate-link-check"));
  assert.equal(args[args.indexOf("-L") + 1], "127.0.0.1:18789:127.0.0.1:18789");
  assert.ok(isOurSshCommandLine(["ssh", ...args], 18789));
  assert.deepEqual(withLinkForward(["-N"], "/s").slice(0, 1), ["-N"]);
});
