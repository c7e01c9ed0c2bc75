/**
 * Liveness of server-side sockets by one sweep for all of them, instead of a timer per socket:
 * every `intervalMs` each tracked socket that answered (pong or any message) since the previous
 * sweep is pinged again, and one that did not is terminated (the `ws` README's broken-connection
 * pattern; OpenClaw pings every 25 s). The interval runs only while sockets are tracked.
 * @module
 */

/** What the sweep needs of a socket. */
export interface Pingable {
  ping(): void;
  terminate(): void;
}

/** One timer's worth of liveness checks for a set of sockets. */
export class LivenessSweep {
  readonly #intervalMs: number;
  readonly #alive = new Map<Pingable, boolean>();
  #timer: ReturnType<typeof setInterval> | undefined;

  /** @param intervalMs Time between sweeps, in milliseconds. */
  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /** Number of tracked sockets. */
  get size(): number {
    return this.#alive.size;
  }

  /** Whether the sweep timer is armed (exactly when sockets are tracked). */
  get running(): boolean {
    return this.#timer !== undefined;
  }

  /** Starts tracking an open socket (counts as alive). */
  track(socket: Pingable): void {
    this.#alive.set(socket, true);
    this.#timer ??= setInterval(() => this.sweep(), this.#intervalMs);
  }

  /** The socket showed life (pong or a message). */
  seen(socket: Pingable): void {
    if (this.#alive.has(socket)) this.#alive.set(socket, true);
  }

  /** Stops tracking a closed socket; the timer stops with the last one. */
  untrack(socket: Pingable): void {
    this.#alive.delete(socket);
    if (this.#alive.size === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  /** One pass: terminates sockets silent since the last pass and pings the others. */
  sweep(): void {
    for (const [socket, alive] of this.#alive) {
      if (!alive) {
        this.untrack(socket);
        socket.terminate();
        continue;
      }
      this.#alive.set(socket, false);
      try {
        socket.ping();
      } catch { /* closing */ }
    }
  }
}
