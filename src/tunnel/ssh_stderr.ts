/**
 * Reads one ssh process's stderr for the supervisor: keeps a tail for classifying its exit and
 * sorts channel refusals (`channel N: open failed: …`) into the ones the link check provoked
 * (expected, dropped from the tail and the debug log) and the ones the gateway forward got
 * (evidence that ssh is alive but the gateway port refuses). ssh writes lines in the order it
 * handles channels, and link checks never overlap gateway probes, so counting is enough.
 * @module
 */
import { isChannelRefusal } from "./classify.ts";

/** Lines kept for classifying the exit. */
const TAIL_LINES = 40;

/** The stderr bookkeeping of one ssh process. */
export class SshStderr {
  /** Last lines (link-check refusals excluded), oldest first. */
  readonly tail: string[] = [];
  /** Gateway-forward refusals seen so far. */
  readonly refusals: string[] = [];
  #expectedLinkRefusals = 0;
  #waiters = new Set<() => void>();
  #ended = false;
  readonly done: Promise<void>;

  /**
   * Starts draining `lines`.
   *
   * @param onLine Debug sink for every line except expected link-check refusals.
   */
  constructor(lines: AsyncIterable<string>, onLine?: (line: string) => void) {
    this.done = (async () => {
      for await (const line of lines) {
        if (isChannelRefusal(line)) {
          if (this.#expectedLinkRefusals > 0) {
            this.#expectedLinkRefusals--;
            continue;
          }
          this.refusals.push(line);
        }
        onLine?.(line);
        this.tail.push(line);
        if (this.tail.length > TAIL_LINES) this.tail.shift();
        for (const wake of this.#waiters) wake();
      }
    })().catch(() => {}).finally(() => (this.#ended = true));
  }

  /** Announces a link check: its refusal line is not the gateway's. */
  expectLinkRefusal(): void {
    this.#expectedLinkRefusals++;
  }

  /** Takes back an announcement whose check never reached ssh. */
  unexpectLinkRefusal(): void {
    if (this.#expectedLinkRefusals > 0) this.#expectedLinkRefusals--;
  }

  /**
   * Waits up to `timeoutMs` for a gateway-forward refusal after the first `seen` ones.
   *
   * @returns The refusal line, or undefined.
   */
  async refusalAfter(seen: number, timeoutMs: number): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.refusals.length <= seen && !this.#ended) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      let wake!: () => void;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const changed = new Promise<void>((r) => this.#waiters.add(wake = r));
      await Promise.race([changed, new Promise((r) => (timer = setTimeout(r, left))), this.done]);
      clearTimeout(timer);
      this.#waiters.delete(wake);
    }
    return this.refusals[seen];
  }
}
