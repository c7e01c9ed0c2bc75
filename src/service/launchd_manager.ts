/**
 * {@linkcode ServiceManager} for launchd (macOS), through `launchctl` run by an injected
 * {@linkcode CommandRunner}: `bootstrap`/`bootout` the plist in the `gui/UID` domain (user) or
 * `system`, `kickstart -k` to restart, `print` for the state. Not runnable on Linux: its
 * argument shapes are unit-tested, its behaviour is not.
 * @module
 */
import { type ServiceManager, ServiceManagerError } from "./manager.ts";
import type { CommandRunner } from "./run_command.ts";
import type { ServiceState } from "./systemctl_show.ts";
import { launchdLabel, type ServiceId } from "./spec.ts";

/**
 * Creates the launchd manager.
 *
 * @param run Runs `launchctl`.
 * @param uid The user id for the `gui/UID` domain (`Deno.uid()`).
 */
export function createLaunchdManager(run: CommandRunner, uid: number): ServiceManager {
  const domain = (id: ServiceId) => (id.scope === "system" ? "system" : `gui/${uid}`);
  const target = (id: ServiceId) => `${domain(id)}/${launchdLabel(id)}`;
  const launchctl = async (args: string[], okCodes: number[] = [0]) => {
    const res = await run("launchctl", args);
    if (!okCodes.includes(res.code)) {
      throw new ServiceManagerError(`launchctl ${args.join(" ")}`, res.stderr.trim());
    }
    return res;
  };
  const bootstrap = (id: ServiceId, path: string) =>
    launchctl(["bootstrap", domain(id), path]).then(() => {});
  return {
    platform: "launchd",
    reload: async () => {},
    enableAndStart: async (id, path) => {
      await launchctl(["enable", target(id)]);
      await bootstrap(id, path);
    },
    start: async (id, path) => {
      const loaded = await run("launchctl", ["print", target(id)]);
      if (loaded.code !== 0) await bootstrap(id, path);
      else await launchctl(["kickstart", target(id)]);
    },
    // `bootout` exits 3 / 113 when the job is not loaded: already stopped.
    stop: async (id) => void await launchctl(["bootout", target(id)], [0, 3, 113]),
    restart: async (id, path) => {
      const loaded = await run("launchctl", ["print", target(id)]);
      if (loaded.code !== 0) await bootstrap(id, path);
      else await launchctl(["kickstart", "-k", target(id)]);
    },
    disableAndStop: async (id) => {
      await launchctl(["bootout", target(id)], [0, 3, 113]);
      await launchctl(["disable", target(id)]);
    },
    state: async (id) => parseLaunchctlPrint(await run("launchctl", ["print", target(id)])),
  };
}

/** Reads `state = running`, `pid = N`, `last exit code = N` from `launchctl print`. */
export function parseLaunchctlPrint(res: { code: number; stdout: string }): ServiceState {
  if (res.code !== 0) return { loaded: false, activeState: "inactive" };
  const pick = (key: string) => res.stdout.match(new RegExp(`^\\s*${key} = (.+)$`, "m"))?.[1];
  const state = pick("state");
  const pid = Number(pick("pid") ?? 0);
  const last = pick("last exit code");
  const status = last !== undefined ? Number(last.split(/\s/)[0]) : NaN;
  return {
    loaded: true,
    activeState: state === "running" ? "active" : status > 0 ? "failed" : "inactive",
    subState: state,
    pid: pid > 0 ? pid : undefined,
    lastExit: Number.isFinite(status) ? { kind: "exited", status } : undefined,
  };
}
