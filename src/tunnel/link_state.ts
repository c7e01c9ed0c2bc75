/**
 * What the supervisor knows about one ssh connection's link, from its link checks
 * (src/transport/link_check.ts). A silent check only counts as a dead link once a check on
 * the same ssh answered: a server that never answers link checks (an exotic sshd) then falls
 * back to ssh's own ServerAlive timeout instead of being restarted forever.
 * @module
 */
import type { LinkAnswer } from "../transport/link_check.ts";

/** One link check: the socket path, the deadline in ms, the signal. */
export type LinkCheckFn = (
  socketPath: string,
  timeoutMs: number,
  signal: AbortSignal,
) => Promise<LinkAnswer>;

/** The link of one ssh process. */
export class LinkState {
  /** Whether link checks are possible and still trusted. */
  usable: boolean;
  /** Whether a check on this ssh answered. */
  proven = false;
  readonly timeoutMs: number;
  #socketPath: string;
  #check: LinkCheckFn;

  /**
   * @param socketPath ssh's local end of the link-check forward; undefined disables checks.
   * @param timeoutMs How long one check waits for sshd's refusal, in milliseconds.
   */
  constructor(socketPath: string | undefined, timeoutMs: number, check: LinkCheckFn) {
    this.usable = socketPath !== undefined;
    this.#socketPath = socketPath ?? "";
    this.timeoutMs = timeoutMs;
    this.#check = check;
  }

  /**
   * Runs one check.
   *
   * @returns `alive` (sshd answered), `dead` (silent after an earlier answer) or `unknown`
   *   (checks unusable, aborted, or nothing listens on the socket).
   */
  async check(signal: AbortSignal): Promise<"alive" | "dead" | "unknown"> {
    if (!this.usable || signal.aborted) return "unknown";
    const answer = await this.#check(this.#socketPath, this.timeoutMs, signal);
    if (signal.aborted) return "unknown";
    if (answer === "answered") {
      this.proven = true;
      return "alive";
    }
    if (answer === "silent") {
      if (this.proven) return "dead";
      this.usable = false;
    }
    return "unknown";
  }
}
