import assert from "node:assert/strict";
import { installService, uninstallService } from "./lifecycle.ts";
import type { CommandRunner } from "./run_command.ts";
import { createSystemdManager } from "./systemd_manager.ts";
import { createLaunchdManager } from "./launchd_manager.ts";
import type { ServiceId } from "./spec.ts";

/** A CommandRunner that records every call and answers from `answer` (default: success). */
function recorder(
  answer: (cmd: string, args: string[]) => Partial<{ code: number; stderr: string }> = () => ({}),
) {
  const calls: string[] = [];
  const run: CommandRunner = (cmd, args) => {
    calls.push([cmd, ...args].join(" "));
    return Promise.resolve({ code: 0, stdout: "", stderr: "", ...answer(cmd, args) });
  };
  return { calls, run };
}

const id: ServiceId = { kind: "gateway", profile: "p", scope: "user" };
const unit = "clawgate-gateway-p.service";

Deno.test("install → same again → differs → --force → uninstall: files and systemctl calls", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/units/${unit}`;
  const secret = {
    type: "token" as const,
    value: "T1",
    path: `${dir}/state/service/gateway.token`,
  };
  const { calls, run } = recorder();
  const m = createSystemdManager(run);
  try {
    const first = await installService(m, { id, path, content: "A\nB\n", secret });
    assert.equal(first.action, "installed");
    assert.equal(await Deno.readTextFile(path), "A\nB\n");
    assert.equal(await Deno.readTextFile(secret.path), "T1\n");
    assert.equal((await Deno.stat(secret.path)).mode! & 0o777, 0o600);
    assert.equal((await Deno.stat(`${dir}/state/service`)).mode! & 0o777, 0o700);
    assert.deepEqual(calls.splice(0), [
      "systemctl --user daemon-reload",
      `systemctl --user enable --now ${unit}`,
    ]);

    assert.equal(
      (await installService(m, { id, path, content: "A\nB\n", secret })).action,
      "unchanged",
    );
    calls.splice(0);

    const differs = await installService(m, {
      id,
      path,
      content: "A\nC\n",
      secret: { ...secret, value: "T2" },
    });
    assert.deepEqual(differs, {
      action: "differs",
      path,
      diff: ["- B", "+ C", `~ the token in ${secret.path} differs`],
    });
    assert.equal(await Deno.readTextFile(path), "A\nB\n", "nothing written without --force");
    assert.equal(await Deno.readTextFile(secret.path), "T1\n");
    assert.deepEqual(calls, [], "the manager is not touched either");

    const forced = await installService(m, {
      id,
      path,
      content: "A\nC\n",
      secret: { ...secret, value: "T2" },
    }, {
      force: true,
    });
    assert.equal(forced.action, "replaced");
    assert.equal(await Deno.readTextFile(path), "A\nC\n");
    assert.equal(await Deno.readTextFile(secret.path), "T2\n");
    assert.deepEqual(calls.splice(0), [
      "systemctl --user daemon-reload",
      `systemctl --user enable --now ${unit}`,
      `systemctl --user restart ${unit}`,
    ]);

    assert.equal(await uninstallService(m, id, path, [secret.path]), true);
    await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
    await assert.rejects(Deno.stat(secret.path), Deno.errors.NotFound);
    assert.deepEqual(calls.splice(0), [
      `systemctl --user disable --now ${unit}`,
      `systemctl --user reset-failed ${unit}`,
      "systemctl --user daemon-reload",
    ]);
    assert.equal(await uninstallService(m, id, path, [secret.path]), false, "second time: no-op");
    assert.deepEqual(calls, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a manager refusal surfaces its stderr; system scope drops --user", async () => {
  const { calls, run } = recorder((_c, args) =>
    args.includes("enable")
      ? { code: 1, stderr: "Failed to connect to bus: No medium found\n" }
      : {}
  );
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      installService(createSystemdManager(run), {
        id: { ...id, scope: "system" },
        path: `${dir}/${unit}`,
        content: "X\n",
      }),
      /systemctl enable --now clawgate-gateway-p\.service failed: Failed to connect to bus/,
    );
    assert.deepEqual(calls, ["systemctl daemon-reload", `systemctl enable --now ${unit}`]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("launchd: bootstrap into gui/UID, kickstart -k to restart, bootout to stop", async () => {
  const { calls, run } = recorder((_c, args) => (args[0] === "print" ? { code: 113 } : {}));
  const m = createLaunchdManager(run, 501);
  await m.enableAndStart(id, "/p.plist");
  await m.restart(id, "/p.plist");
  await m.stop(id);
  assert.deepEqual(calls, [
    "launchctl enable gui/501/org.clawgate.gateway.p",
    "launchctl bootstrap gui/501 /p.plist",
    "launchctl print gui/501/org.clawgate.gateway.p",
    "launchctl bootstrap gui/501 /p.plist",
    "launchctl bootout gui/501/org.clawgate.gateway.p",
  ]);
});
