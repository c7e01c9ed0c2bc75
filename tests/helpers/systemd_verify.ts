/**
 * `systemd-analyze verify` on one unit file, for the service-unit tests.
 * @module
 */
import assert from "node:assert/strict";

/**
 * Verifies `file` and fails the test on any finding about it (findings about units it pulls
 * in, such as network-online.target, do not count).
 *
 * @param runtime A private XDG_RUNTIME_DIR (mode 0700).
 * @param system Verify as a system unit instead of a user unit.
 * @param context Extra text for a failure (e.g. the unit's content).
 */
export async function assertUnitVerifies(
  file: string,
  runtime: string,
  options: { system?: boolean; context?: string } = {},
): Promise<void> {
  const out = await new Deno.Command("systemd-analyze", {
    args: [...(options.system ? [] : ["--user"]), "verify", file],
    env: { XDG_RUNTIME_DIR: runtime, SYSTEMD_LOG_COLOR: "0" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const errText = new TextDecoder().decode(out.stderr);
  const ours = errText.split("\n").filter((l) => l.includes(file.split("/").pop()!));
  assert.equal(out.code, 0, `${options.context ?? ""}\n${errText}`);
  assert.deepEqual(ours, [], errText);
}
