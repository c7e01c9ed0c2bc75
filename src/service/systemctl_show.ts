/**
 * Parses `systemctl show --timestamp=unix -p … UNIT` output into a {@linkcode ServiceState}.
 * Pure. Property meanings: systemd.exec(5), org.freedesktop.systemd1(5) (ExecMainCode is the
 * waitid() CLD_* code: 1 exited, 2 killed, 3 dumped).
 * @module
 */

/** The properties clawgate asks for (the `-p` list). */
export const SHOW_PROPERTIES = [
  "Id",
  "LoadState",
  "ActiveState",
  "SubState",
  "UnitFileState",
  "FragmentPath",
  "MainPID",
  "ExecMainStartTimestamp",
  "ExecMainExitTimestamp",
  "ExecMainCode",
  "ExecMainStatus",
  "ActiveEnterTimestamp",
  "InactiveEnterTimestamp",
  "NRestarts",
  "Result",
] as const;

/** The service as its manager sees it. */
export interface ServiceState {
  /** The manager knows a unit file for it. */
  loaded: boolean;
  /** `active`, `inactive`, `failed`, `activating`, `deactivating`, `reloading`, or `unknown`. */
  activeState: string;
  /** Finer state, e.g. `running`, `dead`, `auto-restart`. */
  subState?: string;
  /** `enabled`, `disabled`, … (starts at boot/login when `enabled`). */
  enabled?: string;
  /** The unit file the manager loaded. */
  unitPath?: string;
  /** Main process id while running. */
  pid?: number;
  /** When the current state began (ISO 8601): active since, or inactive since. */
  since?: string;
  /** How the last main process ended, once one has. */
  lastExit?: { kind: "exited" | "killed" | "dumped"; status: number; at?: string };
  /** Automatic restarts since the last manual start. */
  restarts?: number;
  /** systemd's `Result` (`success`, `exit-code`, `signal`, `start-limit-hit`, …). */
  result?: string;
}

/**
 * Parses `KEY=VALUE` lines.
 *
 * @param text `systemctl show` stdout.
 * @returns The state; `loaded:false, activeState:"inactive"` for `LoadState=not-found`.
 */
export function parseSystemctlShow(text: string): ServiceState {
  const p = new Map<string, string>();
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) p.set(line.slice(0, eq), line.slice(eq + 1).trim());
  }
  const activeState = p.get("ActiveState") || "unknown";
  const pid = Number(p.get("MainPID") ?? 0);
  const code = Number(p.get("ExecMainCode") ?? 0);
  const kind = code === 1 ? "exited" : code === 2 ? "killed" : code === 3 ? "dumped" : undefined;
  const exitAt = unixTs(p.get("ExecMainExitTimestamp"));
  const active = activeState === "active" || activeState === "reloading";
  const since = active
    ? unixTs(p.get("ActiveEnterTimestamp"))
    : unixTs(p.get("InactiveEnterTimestamp")) ?? exitAt;
  const restarts = p.has("NRestarts") ? Number(p.get("NRestarts")) : undefined;
  return {
    loaded: p.get("LoadState") === "loaded",
    activeState,
    subState: p.get("SubState") || undefined,
    enabled: p.get("UnitFileState") || undefined,
    unitPath: p.get("FragmentPath") || undefined,
    pid: pid > 0 ? pid : undefined,
    since,
    lastExit: kind && exitAt
      ? { kind, status: Number(p.get("ExecMainStatus") ?? 0), at: exitAt }
      : undefined,
    restarts: Number.isFinite(restarts) ? restarts : undefined,
    result: p.get("Result") || undefined,
  };
}

/** `@1733061946` (or `@1733061946.123456`) → ISO; empty / `n/a` / 0 → undefined. */
function unixTs(value: string | undefined): string | undefined {
  const m = value?.match(/^@(\d+(?:\.\d+)?)$/);
  if (!m || Number(m[1]) === 0) return undefined;
  return new Date(Number(m[1]) * 1000).toISOString();
}
