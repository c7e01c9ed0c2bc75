import assert from "node:assert/strict";
import { classifySshExit, classifySshLine } from "./classify.ts";

Deno.test("classifySshLine: OpenSSH messages → kind and fatality", () => {
  const cases: [string, string, boolean][] = [
    ["root@127.0.0.1: Permission denied (publickey).", "auth", true],
    ["Host key verification failed.", "host-key", true],
    ["@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @", "host-key", true],
    ["ssh: Could not resolve hostname nope: Name or service not known", "dns", false],
    ["ssh: connect to host 127.0.0.1 port 1: Connection refused", "refused", false],
    ["ssh: connect to host 10.0.0.1 port 22: Connection timed out", "timeout", false],
    ["Timeout, server 10.0.0.1 not responding.", "timeout", false],
    ["bind [127.0.0.1]:18789: Address already in use", "port-busy", true],
    [
      "channel 2: open failed: administratively prohibited: open failed",
      "forward-prohibited",
      true,
    ],
    [
      "command-line: line 0: Bad configuration option: forkafterauthentication",
      "unsupported-option",
      true,
    ],
    ["channel 3: open failed: connect failed: Connection refused", "gateway-refused", false],
    ["Connection to 127.0.0.1 closed by remote host.", "dropped", false],
    ["kex_exchange_identification: read: Connection reset by peer", "dropped", false],
  ];
  for (const [line, kind, fatal] of cases) {
    const c = classifySshLine(line);
    assert.equal(c?.kind, kind, line);
    assert.equal(c?.fatal, fatal, line);
    assert.ok(c!.hint.length > 10);
  }
  assert.equal(classifySshLine("debug1: whatever"), undefined);
});

Deno.test("classifySshExit: fatal wins, gateway-refused ignored, unknown otherwise", () => {
  assert.equal(
    classifySshExit(["Connection closed by 1.2.3.4 port 22", "x: Permission denied (publickey)."])
      .kind,
    "auth",
  );
  assert.equal(
    classifySshExit(["channel 2: open failed: connect failed: Connection refused"]).kind,
    "unknown",
  );
  assert.equal(classifySshExit([]).fatal, false);
});
