/**
 * Renders a {@linkcode ServiceSpec} as a systemd unit, and reads back the parts clawgate wrote
 * (ExecStart argv, Environment=). Pure: no I/O.
 *
 * Policy as OpenClaw `src/daemon/systemd-unit.ts` (Restart=always, RestartSec=5, after
 * network-online.target, start-limit 10 in 300 s, KillMode=mixed), plus what upstream misses:
 * `$` is escaped as `$$` (systemd expands `$VAR` in ExecStart), specifiers `%` as `%%`, and the
 * command line never carries a secret (the spec has none: secrets travel in 0600 files).
 * Logs go to the journal: stdout and stderr are `journal` (systemd(1) `StandardError=`).
 * @module
 */
import type { ServiceSpec } from "./spec.ts";

/**
 * Quotes one ExecStart / Environment= word for systemd (systemd.service(5) "Command lines",
 * systemd.syntax(7) quoting).
 *
 * @param options.expandsDollar The key expands `$VAR` (ExecStart does, Environment= does not).
 *   @default {true}
 * @throws {RangeError} When the value holds a line break or NUL (not representable).
 * @example
 * ```ts
 * import { systemdQuote } from "./systemd_unit.ts";
 * console.assert(systemdQuote("/opt/my apps/clawgate") === '"/opt/my apps/clawgate"');
 * console.assert(systemdQuote("a$b%c") === "a$$b%%c");
 * ```
 */
export function systemdQuote(value: string, options: { expandsDollar?: boolean } = {}): string {
  noLineBreak(value);
  const percent = value.replaceAll("%", "%%");
  const escaped = options.expandsDollar === false ? percent : percent.replaceAll("$", "$$$$");
  if (escaped !== "" && !/[\s"'\\;]/.test(escaped)) return escaped;
  return `"${escaped.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

/**
 * Renders the unit file text.
 *
 * @param spec The service (its programArguments must not contain secrets).
 * @returns The unit, ending with a newline.
 * @throws {RangeError} When a value holds a line break.
 */
export function renderSystemdUnit(spec: ServiceSpec): string {
  const env = Object.entries(spec.environment)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `Environment=${systemdQuote(`${k}=${v}`, { expandsDollar: false })}`);
  return [
    "# Written by `clawgate " + spec.kind + " install`; change it with `clawgate " + spec.kind +
    " install --force`.",
    "[Unit]",
    `Description=${oneLine(spec.description)}`,
    "After=network-online.target",
    "Wants=network-online.target",
    "StartLimitIntervalSec=300",
    "StartLimitBurst=10",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${spec.programArguments.map((a) => systemdQuote(a)).join(" ")}`,
    `WorkingDirectory=${noLineBreak(spec.workingDirectory).replaceAll("%", "%%")}`,
    ...env,
    "Restart=always",
    `RestartSec=${spec.restartSec}`,
    // Exit 3 (config error) and 2 (usage) will not heal by restarting: stop, show in status.
    "RestartPreventExitStatus=2 3",
    "KillMode=mixed",
    "KillSignal=SIGTERM",
    "TimeoutStopSec=30",
    "StandardOutput=journal",
    "StandardError=journal",
    "UMask=0077",
    "",
    "[Install]",
    `WantedBy=${spec.scope === "system" ? "multi-user.target" : "default.target"}`,
    "",
  ].join("\n");
}

function noLineBreak(value: string): string {
  if (/[\r\n\0]/.test(value)) {
    throw new RangeError(`Cannot write a systemd unit value with a line break: "${value}"`);
  }
  return value;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ").replaceAll("%", "%%");
}

/**
 * Splits a systemd command line / Environment= value into words, undoing
 * {@linkcode systemdQuote} (double quotes, backslash escapes, `$$`, `%%`).
 *
 * @example
 * ```ts
 * import { splitSystemdWords } from "./systemd_unit.ts";
 * console.assert(splitSystemdWords('"/a b/c" run $$X').join("|") === "/a b/c|run|$X");
 * ```
 */
export function splitSystemdWords(
  line: string,
  options: { expandsDollar?: boolean } = {},
): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    let word = "";
    if (line[i] === '"' || line[i] === "'") {
      const q = line[i++];
      while (i < line.length && line[i] !== q) {
        if (line[i] === "\\" && i + 1 < line.length) i++;
        word += line[i++];
      }
      i++;
    } else {
      while (i < line.length && !/\s/.test(line[i])) word += line[i++];
    }
    const percent = word.replaceAll("%%", "%");
    words.push(options.expandsDollar === false ? percent : percent.replaceAll("$$", "$"));
  }
  return words;
}

/** What clawgate reads back from an installed unit. */
export interface ParsedUnit {
  execStart: string[];
  environment: Record<string, string>;
}

/**
 * Reads ExecStart and Environment= from unit text clawgate rendered.
 *
 * @returns The argv and environment; empty when the keys are absent.
 */
export function parseSystemdUnit(text: string): ParsedUnit {
  const out: ParsedUnit = { execStart: [], environment: {} };
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("ExecStart=")) out.execStart = splitSystemdWords(line.slice(10));
    if (line.startsWith("Environment=")) {
      for (const word of splitSystemdWords(line.slice(12), { expandsDollar: false })) {
        const eq = word.indexOf("=");
        if (eq > 0) out.environment[word.slice(0, eq)] = word.slice(eq + 1);
      }
    }
  }
  return out;
}
