/**
 * {@linkcode TunnelError}: a tunnel that could not carry a command (ssh refused, failed, or
 * the gateway behind it did not answer). The CLI maps it to an exit code: 7 for `auth` and
 * `host-key` (product.md "auth refused"), 4 otherwise.
 * @module
 */
import type { SshFailureKind } from "./classify.ts";

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
