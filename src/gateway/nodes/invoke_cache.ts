/**
 * The `node.invoke` idempotency record: a retry with the same key joins the invoke in flight
 * or gets the finished outcome instead of running the command again.
 *
 * Memory is bounded: in-flight invokes are kept as long as they run (each is a live request
 * the node is working on); finished outcomes are kept for `ttlMs` at most, at most
 * `maxEntries` of them and at most `maxBytes` of result JSON in total (oldest dropped first).
 * An outcome bigger than `maxEntryBytes` is not kept: a retry then fails with
 * `UNAVAILABLE … result no longer available` rather than running the command twice.
 * Finished records live in one insertion-ordered `Map`; all share one TTL, so the oldest is
 * always first and expiry pops from the front (O(1) amortized per call, no scan).
 * @module
 */
import { ErrorCodes, RpcError } from "../../protocol/mod.ts";

/** The success value of a `node.invoke`. */
export interface NodeInvokeOk {
  ok: true;
  nodeId: string;
  command: string;
  payload: unknown;
  payloadJSON: string | null;
}

/** Limits of {@linkcode InvokeCache}. */
export interface InvokeCacheLimits {
  /** How long a finished outcome is replayed, in milliseconds. @default {300000} */
  ttlMs?: number;
  /** Finished outcomes kept at most. @default {256} */
  maxEntries?: number;
  /** Total result JSON kept, in UTF-16 code units (≈ bytes for ASCII). @default {16 MiB} */
  maxBytes?: number;
  /** Largest single result kept. @default {maxBytes / 4} */
  maxEntryBytes?: number;
}

type Finished =
  | { kind: "ok"; value: Omit<NodeInvokeOk, "payload">; bytes: number; expiresAt: number }
  | { kind: "error"; error: unknown; bytes: number; expiresAt: number }
  | { kind: "dropped"; bytes: number; expiresAt: number };

/** Bookkeeping per record besides the result itself (key, Map slot), in the same units. */
const ENTRY_OVERHEAD = 256;

/** In-flight and finished `node.invoke` outcomes by idempotency key. */
export class InvokeCache {
  readonly #inFlight = new Map<string, Promise<NodeInvokeOk>>();
  readonly #finished = new Map<string, Finished>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #maxEntryBytes: number;
  readonly #now: () => number;
  #bytes = 0;

  /** @param now Clock in ms (tests pass their own). @default {Date.now} */
  constructor(limits: InvokeCacheLimits = {}, now: () => number = Date.now) {
    this.#ttlMs = limits.ttlMs ?? 5 * 60_000;
    this.#maxEntries = limits.maxEntries ?? 256;
    this.#maxBytes = limits.maxBytes ?? 16 * 1024 * 1024;
    this.#maxEntryBytes = limits.maxEntryBytes ?? Math.floor(this.#maxBytes / 4);
    this.#now = now;
  }

  /** Current size: in-flight invokes, finished records and their bytes. */
  stats(): { inFlight: number; finished: number; bytes: number } {
    return { inFlight: this.#inFlight.size, finished: this.#finished.size, bytes: this.#bytes };
  }

  /**
   * The outcome for `key`: joins an invoke in flight, replays a finished one, else starts
   * `run()` and records its outcome. A `forget(err)` that returns true leaves no record (for
   * refusals that ran nothing, so a corrected retry may run).
   *
   * @throws {RpcError} `UNAVAILABLE` when the finished outcome was too big to keep.
   */
  run(
    key: string,
    run: () => Promise<NodeInvokeOk>,
    forget: (err: unknown) => boolean = () => false,
  ): Promise<NodeInvokeOk> {
    this.#expire();
    const joined = this.#inFlight.get(key);
    if (joined) return joined;
    const done = this.#finished.get(key);
    if (done) return replay(done);
    const result = run();
    this.#inFlight.set(key, result);
    result.then(
      (value) => this.#record(key, okRecord(value, this.#expiresAt())),
      (error) => {
        if (forget(error)) this.#inFlight.delete(key);
        else this.#record(key, { kind: "error", error, bytes: 0, expiresAt: this.#expiresAt() });
      },
    );
    return result;
  }

  #expiresAt(): number {
    return this.#now() + this.#ttlMs;
  }

  #record(key: string, entry: Finished): void {
    this.#inFlight.delete(key);
    if (entry.bytes > this.#maxEntryBytes) {
      entry = { kind: "dropped", bytes: 0, expiresAt: entry.expiresAt };
    }
    entry.bytes += ENTRY_OVERHEAD + key.length;
    this.#finished.set(key, entry);
    this.#bytes += entry.bytes;
    this.#expire();
  }

  /** Drops expired records, then the oldest while over a cap; the oldest is always first. */
  #expire(): void {
    const now = this.#now();
    for (const [key, entry] of this.#finished) {
      const over = this.#finished.size > this.#maxEntries || this.#bytes > this.#maxBytes;
      if (entry.expiresAt > now && !over) break;
      this.#finished.delete(key);
      this.#bytes -= entry.bytes;
    }
  }
}

function okRecord(value: NodeInvokeOk, expiresAt: number): Finished {
  // Keep the JSON text only; the parsed payload is rebuilt on replay (half the memory).
  const { payload: _payload, ...rest } = value;
  return { kind: "ok", value: rest, bytes: value.payloadJSON?.length ?? 0, expiresAt };
}

function replay(done: Finished): Promise<NodeInvokeOk> {
  if (done.kind === "error") return Promise.reject(done.error);
  if (done.kind === "dropped") {
    return Promise.reject(
      new RpcError(
        ErrorCodes.UNAVAILABLE,
        "node invoke already ran with this idempotencyKey; its result was too large to keep",
        { details: { code: "RESULT_NOT_RETAINED", nodeCommandDispatched: true } },
      ),
    );
  }
  const { payloadJSON } = done.value;
  let payload: unknown = null;
  if (payloadJSON !== null) {
    try {
      payload = JSON.parse(payloadJSON);
    } catch {
      payload = payloadJSON;
    }
  }
  return Promise.resolve({ ...done.value, payload });
}
