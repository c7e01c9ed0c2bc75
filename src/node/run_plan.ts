/**
 * Turns a `system.run` request into exactly what will run, before anything runs: `argv[0]`
 * resolved once against the node's own PATH (the request cannot change PATH), the exec policy
 * checked against that absolute path, the child environment built from the node's environment
 * (see host_env_policy.ts), and `rawCommand` checked against argv so `exec.finished` reports
 * what really ran. Refusals follow OpenClaw's node host (`SYSTEM_RUN_DENIED: …`,
 * `INVALID_REQUEST: rawCommand does not match command`; openclaw/openclaw
 * `src/node-host/invoke-system-run-plan.ts`, `src/infra/system-run-command.ts`).
 * @module
 */
import { isAbsolute, join } from "node:path";
import type { SystemRunParams } from "../protocol/nodes.ts";
import { checkExecPolicy, type ExecPolicy, type PolicyRefusal } from "./exec_policy.ts";
import { checkEnvOverrides, childEnv, envRejectionMessage } from "./host_env_policy.ts";
import { whichBin } from "./which.ts";

/** What will run. */
export interface RunPlan {
  /** Absolute path of the program (spawned as is, never looked up again). */
  program: string;
  /** The request's argv; `argv[0]` is what the caller wrote. */
  argv: string[];
  cwd?: string;
  /** The child's complete environment. */
  env: Record<string, string>;
  /** argv formatted for display, as OpenClaw formats it (`exec.finished` `command`). */
  commandText: string;
}

/** A plan, a refusal (an invoke error), or "no such program" (a failed run, not an error). */
export type PlanOutcome =
  | { kind: "run"; plan: RunPlan }
  | { kind: "refused"; refusal: PolicyRefusal }
  | { kind: "not-found"; message: string; commandText: string };

const POSIX_SHELLS = new Set(["sh", "bash", "dash", "zsh", "ksh", "ash", "fish"]);

/**
 * Formats argv for display: arguments with whitespace or `"` are double-quoted with `"`
 * escaped, empty ones become `""` (OpenClaw's `formatExecCommand`).
 */
export function formatExecCommand(argv: readonly string[]): string {
  return argv.map((a) => {
    if (a.length === 0) return '""';
    if (!/\s|"/.test(a)) return a;
    return `"${a.replace(/"/g, '\\"')}"`;
  }).join(" ");
}

/** Whether `rawCommand` (when given) names this argv: its formatted text or a `sh -c` payload. */
function rawCommandMatches(rawCommand: string | undefined, argv: readonly string[]): boolean {
  const raw = rawCommand?.trim();
  if (!raw) return true;
  if (raw === formatExecCommand(argv)) return true;
  const shell = (argv[0] ?? "").split("/").pop() ?? "";
  return POSIX_SHELLS.has(shell) && /^-[a-z]*c$/.test(argv[1] ?? "") && argv.length === 3 &&
    raw === argv[2].trim();
}

/**
 * Plans one `system.run`.
 *
 * @param run The validated request params.
 * @param policy The node's exec policy.
 * @param nodeEnv The node's own environment (`Deno.env.toObject()`); its PATH resolves argv[0].
 * @returns The plan, or why not. Never throws.
 */
export async function planSystemRun(
  run: SystemRunParams,
  policy: ExecPolicy,
  nodeEnv: Record<string, string>,
): Promise<PlanOutcome> {
  const argv = run.command;
  const commandText = formatExecCommand(argv);
  if (policy.mode === "deny") return { kind: "refused", refusal: checkExecPolicy(policy, argv)! };
  if (!rawCommandMatches(run.rawCommand, argv)) {
    return {
      kind: "refused",
      refusal: {
        code: "INVALID_REQUEST",
        message: "INVALID_REQUEST: rawCommand does not match command",
      },
    };
  }
  const rejected = checkEnvOverrides(run.env);
  if (rejected) {
    return {
      kind: "refused",
      refusal: { code: "INVALID_REQUEST", message: envRejectionMessage(rejected) },
    };
  }
  const name = argv[0];
  const lookup = name.includes("/") && !isAbsolute(name) ? join(run.cwd ?? Deno.cwd(), name) : name;
  const program = await whichBin(lookup, nodeEnv.PATH ?? "");
  const refusal = checkExecPolicy(policy, argv, program);
  if (refusal) return { kind: "refused", refusal };
  if (!program) {
    return {
      kind: "not-found",
      commandText,
      message: name.includes("/")
        ? `${name}: no such executable file on the node`
        : `${name}: command not found on the node (not on its PATH)`,
    };
  }
  return {
    kind: "run",
    plan: { program, argv, cwd: run.cwd, env: childEnv(nodeEnv, run.env), commandText },
  };
}
