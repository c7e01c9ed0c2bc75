/**
 * {@linkcode TunnelError}: a tunnel that could not carry a command (ssh refused, failed, or
 * the gateway behind it did not answer), and {@linkcode tunnelFailure}, which makes one from a
 * supervisor's result. The CLI maps it to an exit code: 7 for `auth` and
 * `host-key` (product.md "auth refused"), 4 otherwise.
 * @module
 */
import type { SshFailureKind } from "./classify.ts";
import type { TunnelResult } from "./supervisor.ts";

/** Why a tunnel failed: an ssh failure class, or `gateway-down` (ssh up, no gateway behind). */
export type TunnelFailureKind = SshFailureKind | "gateway-down" | "aborted";

/** A tunnel that failed to come up (or the gateway behind it did not answer). */
export class TunnelError extends Error {
  readonly kind: TunnelFailureKind;
  readonly hint: string;
  /** The ssh target as configured (`me@host:2222`). */
  readonly target: string;
  /** How many times ssh was spawned. */
  readonly spawns: number;
  constructor(
    kind: TunnelFailureKind,
    message: string,
    options: { hint: string; target: string; spawns: number },
  ) {
    super(message);
    this.name = "TunnelError";
    this.kind = kind;
    this.hint = options.hint;
    this.target = options.target;
    this.spawns = options.spawns;
  }

  /** ssh was refused for a reason only the user can fix (key, host key). */
  get refused(): boolean {
    return this.kind === "auth" || this.kind === "host-key";
  }
}

/**
 * The error for a supervised tunnel that failed for good (its supervisor gave up): kind, the
 * classifier's hint and the spawn count carried over. The CLI maps it to exit 7 for a refused
 * key or host key, else 4 (../cli/to_cli_error.ts).
 *
 * @param result What the supervisor's `run()` resolved to.
 * @param sshTarget The ssh target as configured (`me@host:2222`), for the message.
 * @returns undefined when the tunnel just stopped (abort, or no failure recorded).
 */
export function tunnelFailure(result: TunnelResult, sshTarget: string): TunnelError | undefined {
  if (result.state !== "failed" || !result.failure) return undefined;
  const f = result.failure;
  return new TunnelError(f.kind, `ssh tunnel to ${sshTarget} failed: ${f.message}`, {
    hint: f.hint,
    target: sshTarget,
    spawns: result.spawns,
  });
}
