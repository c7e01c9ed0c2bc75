/**
 * {@linkcode ServiceManager} for systemd, through `systemctl [--user]` run by an injected
 * {@linkcode CommandRunner}.
 * @module
 */
import { type ServiceManager, ServiceManagerError } from "./manager.ts";
import type { CommandRunner } from "./run_command.ts";
import { parseSystemctlShow, SHOW_PROPERTIES } from "./systemctl_show.ts";
import { type ServiceId, systemdUnitName } from "./spec.ts";

/**
 * Creates the systemd manager.
 *
 * @param run Runs `systemctl` (tests inject a recorder).
 * @param env Extra environment for systemctl (e.g. `XDG_RUNTIME_DIR` of a user manager).
 */
export function createSystemdManager(
  run: CommandRunner,
  env?: Record<string, string>,
): ServiceManager {
  const systemctl = async (id: ServiceId, args: string[]): Promise<string> => {
    const argv = [...(id.scope === "user" ? ["--user"] : []), ...args];
    let res;
    try {
      res = await run("systemctl", argv, env ? { env } : undefined);
    } catch (err) {
      throw new ServiceManagerError(`systemctl ${argv.join(" ")}`, (err as Error).message, {
        cause: err,
      });
    }
    if (res.code !== 0) {
      throw new ServiceManagerError(`systemctl ${argv.join(" ")}`, res.stderr.trim());
    }
    return res.stdout;
  };
  return {
    platform: "systemd",
    reload: async (id) => void await systemctl(id, ["daemon-reload"]),
    enableAndStart: async (id) =>
      void await systemctl(id, ["enable", "--now", systemdUnitName(id)]),
    start: async (id) => void await systemctl(id, ["start", systemdUnitName(id)]),
    stop: async (id) => void await systemctl(id, ["stop", systemdUnitName(id)]),
    restart: async (id) => void await systemctl(id, ["restart", systemdUnitName(id)]),
    disableAndStop: async (id) => {
      await systemctl(id, ["disable", "--now", systemdUnitName(id)]);
      // A unit that had failed stays listed as failed until reset.
      await systemctl(id, ["reset-failed", systemdUnitName(id)]).catch(() => {});
    },
    state: async (id) =>
      parseSystemctlShow(
        await systemctl(id, [
          "show",
          "--timestamp=unix",
          ...SHOW_PROPERTIES.flatMap((p) => ["-p", p]),
          systemdUnitName(id),
        ]),
      ),
  };
}
