import assert from "node:assert/strict";
import { parseSystemctlShow } from "./systemctl_show.ts";

// Captured from a real `systemd --user` (systemd 252, Debian 12) with
// `systemctl --user show --timestamp=unix -p … UNIT`: see tests/fixtures/systemctl_show/.
const fixture = (name: string) =>
  Deno.readTextFileSync(
    new URL(`../../tests/fixtures/systemctl_show/${name}.txt`, import.meta.url),
  );

Deno.test("parseSystemctlShow(): a running service has pid, since and its unit path", () => {
  const s = parseSystemctlShow(fixture("active"));
  assert.equal(s.loaded, true);
  assert.equal(s.activeState, "active");
  assert.equal(s.subState, "running");
  assert.equal(s.enabled, "enabled");
  assert.equal(s.pid, 20004);
  assert.equal(s.since, new Date(1796139337 * 1000).toISOString());
  assert.match(s.unitPath ?? "", /\/systemd\/user\/cg-run\.service$/);
  assert.equal(s.lastExit, undefined);
  assert.equal(s.restarts, 0);
});

Deno.test("parseSystemctlShow(): a service that exited 3 is failed with its exit code", () => {
  const s = parseSystemctlShow(fixture("failed_exit3"));
  assert.equal(s.activeState, "failed");
  assert.equal(s.pid, undefined);
  assert.deepEqual(s.lastExit, {
    kind: "exited",
    status: 3,
    at: new Date(1796139337 * 1000).toISOString(),
  });
  assert.equal(s.result, "exit-code");
});

Deno.test("parseSystemctlShow(): killed by a signal and waiting to restart", () => {
  const s = parseSystemctlShow(fixture("restarting_after_kill"));
  assert.equal(s.activeState, "activating");
  assert.equal(s.subState, "auto-restart");
  assert.equal(s.lastExit?.kind, "killed");
  assert.equal(s.lastExit?.status, 9);
  assert.equal(s.restarts, 1);
});

Deno.test("parseSystemctlShow(): stopped and unknown units", () => {
  const stopped = parseSystemctlShow(fixture("inactive_after_stop"));
  assert.equal(stopped.loaded, true);
  assert.equal(stopped.activeState, "inactive");
  assert.equal(stopped.pid, undefined);
  const none = parseSystemctlShow(fixture("not_found"));
  assert.equal(none.loaded, false);
  assert.equal(none.unitPath, undefined);
  assert.equal(none.enabled, undefined);
});
