/**
 * Renders a {@linkcode ServiceSpec} as a launchd property list (LaunchAgent or LaunchDaemon).
 * Pure: no I/O. launchd(8) is not available on Linux, so this is checked by unit tests only.
 *
 * Keys: `RunAtLoad` (start at login/boot), `KeepAlive.SuccessfulExit=false` (restart after a
 * failure, not after a clean stop), `ThrottleInterval` (the restart delay, seconds), and
 * stdout/stderr to `<stateDir>/logs/<kind>.log` (launchd has no journal). Source: OpenClaw
 * `src/daemon/launchd-plist.ts`; launchd.plist(5).
 * @module
 */
import { join } from "node:path";
import { launchdLabel, type ServiceSpec } from "./spec.ts";

/**
 * Escapes text for a plist `<string>`.
 *
 * @example
 * ```ts
 * import { xmlEscape } from "./launchd_plist.ts";
 * console.assert(xmlEscape("a<b & 'c'") === "a&lt;b &amp; &apos;c&apos;");
 * ```
 */
export function xmlEscape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&apos;");
}

/** The log file launchd writes the service's stdout and stderr to. */
export function launchdLogPath(spec: ServiceSpec): string {
  return join(spec.workingDirectory, "logs", `${spec.kind}.log`);
}

/**
 * Renders the plist text.
 *
 * @param spec The service (no secrets in programArguments or environment).
 * @returns An XML plist, ending with a newline.
 */
export function renderLaunchdPlist(spec: ServiceSpec): string {
  const str = (s: string) => `<string>${xmlEscape(s)}</string>`;
  const env = Object.entries(spec.environment).sort(([a], [b]) => a.localeCompare(b));
  const log = launchdLogPath(spec);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">`,
    `<plist version="1.0">`,
    `<dict>`,
    `  <key>Label</key>`,
    `  ${str(launchdLabel(spec))}`,
    `  <key>ProgramArguments</key>`,
    `  <array>`,
    ...spec.programArguments.map((a) => `    ${str(a)}`),
    `  </array>`,
    `  <key>EnvironmentVariables</key>`,
    `  <dict>`,
    ...env.flatMap(([k, v]) => [`    <key>${xmlEscape(k)}</key>`, `    ${str(v)}`]),
    `  </dict>`,
    `  <key>WorkingDirectory</key>`,
    `  ${str(spec.workingDirectory)}`,
    `  <key>RunAtLoad</key>`,
    `  <true/>`,
    `  <key>KeepAlive</key>`,
    `  <dict>`,
    `    <key>SuccessfulExit</key>`,
    `    <false/>`,
    `  </dict>`,
    `  <key>ThrottleInterval</key>`,
    `  <integer>${spec.restartSec}</integer>`,
    `  <key>Umask</key>`,
    `  <integer>63</integer>`,
    `  <key>StandardOutPath</key>`,
    `  ${str(log)}`,
    `  <key>StandardErrorPath</key>`,
    `  ${str(log)}`,
    `</dict>`,
    `</plist>`,
    ``,
  ].join("\n");
}
