/**
 * The node-local exec policy for `system.run`: `full` runs anything, `allowlist` runs only
 * binaries named by `--allow` (by name or absolute path), `deny` runs nothing. Refusals use
 * OpenClaw's node-host messages (`SYSTEM_RUN_DISABLED: security=deny`,
 * `SYSTEM_RUN_DENIED: allowlist miss`) under code `UNAVAILABLE`.
 * @module
 */

/** Policy modes, as OpenClaw's exec-approvals `security` values. */
export const EXEC_POLICY_MODES = ["full", "allowlist", "deny"] as const;
export type ExecPolicyMode = (typeof EXEC_POLICY_MODES)[number];

/** A node-local exec policy. */
export interface ExecPolicy {
  mode: ExecPolicyMode;
  /** Binary names (`echo`) or absolute paths (`/usr/bin/echo`) allowed under `allowlist`. */
  allow: string[];
}

/** A refusal, sent as the `node.invoke.result` error. */
export interface PolicyRefusal {
  code: string;
  message: string;
}

/**
 * Decides whether `argv` may run.
 *
 * @param policy The policy.
 * @param argv The command; `argv[0]` is the program.
 * @param resolvedPath `argv[0]` resolved on PATH, when known (matched against absolute entries).
 * @returns `null` when allowed, else the refusal.
 */
export function checkExecPolicy(
  policy: ExecPolicy,
  argv: readonly string[],
  resolvedPath?: string | null,
): PolicyRefusal | null {
  if (policy.mode === "full") return null;
  if (policy.mode === "deny") {
    return { code: "UNAVAILABLE", message: "SYSTEM_RUN_DISABLED: security=deny" };
  }
  const program = argv[0] ?? "";
  const base = program.split("/").pop() ?? program;
  const hasSlash = program.includes("/");
  for (const entry of policy.allow) {
    if (entry.includes("/")) {
      if (entry === program || (resolvedPath && entry === resolvedPath)) return null;
    } else if (!hasSlash && entry === base) {
      return null;
    }
  }
  return { code: "UNAVAILABLE", message: "SYSTEM_RUN_DENIED: allowlist miss" };
}

/**
 * Parses `--exec-policy`.
 *
 * @returns The mode, or `null` when the value is not one of `full|allowlist|deny`.
 */
export function parseExecPolicyMode(value: string | undefined): ExecPolicyMode | null {
  if (value === undefined) return "full";
  return (EXEC_POLICY_MODES as readonly string[]).includes(value) ? value as ExecPolicyMode : null;
}
