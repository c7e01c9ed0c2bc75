/**
 * The service-manager seam: what install/start/stop/restart/uninstall/status need from
 * systemd or launchd. {@linkcode ServiceManagerError} carries the manager's own words.
 * @module
 */
import type { ServiceState } from "./systemctl_show.ts";
import type { ServiceId, ServicePlatform } from "./spec.ts";

/** One service manager (systemd user/system, launchd). */
export interface ServiceManager {
  readonly platform: ServicePlatform;
  /** Re-reads unit files after a write (systemd `daemon-reload`; launchd: nothing). */
  reload(id: ServiceId): Promise<void>;
  /** Enables start at boot/login and starts now. */
  enableAndStart(id: ServiceId, path: string): Promise<void>;
  start(id: ServiceId, path: string): Promise<void>;
  stop(id: ServiceId): Promise<void>;
  restart(id: ServiceId, path: string): Promise<void>;
  /** Stops and disables (before the file is removed). */
  disableAndStop(id: ServiceId): Promise<void>;
  state(id: ServiceId): Promise<ServiceState>;
}

/** A service manager command failed. */
export class ServiceManagerError extends Error {
  /** The command line that failed, e.g. `systemctl --user start clawgate-gateway.service`. */
  readonly command: string;
  /** What the manager printed on stderr (trimmed). */
  readonly output: string;
  constructor(command: string, output: string, options?: { cause?: unknown }) {
    super(`${command} failed${output ? `: ${output}` : ""}`, options);
    this.name = "ServiceManagerError";
    this.command = command;
    this.output = output;
  }
}
