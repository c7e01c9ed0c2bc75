/**
 * A raw WebSocket client for bad-input tests: send arbitrary text/binary, collect frames and
 * the close code, all with deadlines.
 * @module
 */

/** A raw test socket. */
export interface RawSocket {
  /** Frames received so far (parsed JSON, or the raw string if not JSON). */
  frames: unknown[];
  send(data: string | Uint8Array): void;
  /** Waits for the n-th frame (1-based). */
  frame(n: number, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Waits for the close event. */
  closed(timeoutMs?: number): Promise<{ code: number; reason: string }>;
  close(): void;
}

/** Opens `url` and resolves once open. */
export function openRaw(url: string, headers?: Record<string, string>): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    // deno-lint-ignore no-explicit-any
    const ws = new (WebSocket as any)(url, headers ? { headers } : undefined) as WebSocket;
    const frames: unknown[] = [];
    let closeInfo: { code: number; reason: string } | undefined;
    const waiters: Array<() => void> = [];
    const notify = () => waiters.splice(0).forEach((w) => w());
    ws.onmessage = (ev) => {
      try {
        frames.push(JSON.parse(ev.data));
      } catch {
        frames.push(ev.data);
      }
      notify();
    };
    ws.onclose = (ev) => {
      closeInfo = { code: ev.code, reason: ev.reason };
      notify();
    };
    ws.onerror = () => {
      if (ws.readyState !== WebSocket.OPEN) reject(new Error(`cannot open ${url}`));
    };
    const waitFor = <T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> =>
      new Promise((res, rej) => {
        const timer = setTimeout(
          () => rej(new Error(`timed out waiting for ${what}; frames: ${JSON.stringify(frames)}`)),
          timeoutMs,
        );
        const tryIt = () => {
          const v = check();
          if (v !== undefined) {
            clearTimeout(timer);
            res(v);
          } else waiters.push(tryIt);
        };
        tryIt();
      });
    ws.onopen = () =>
      resolve({
        frames,
        send: (d) => ws.send(d),
        frame: (n, t = 5000) =>
          waitFor(() => frames[n - 1] as Record<string, unknown> | undefined, t, `frame ${n}`),
        closed: (t = 5000) => waitFor(() => closeInfo, t, "close"),
        close: () => ws.close(),
      });
  });
}

/** A valid operator `connect` request frame. */
export function connectFrame(overrides: Record<string, unknown> = {}, id = "1"): string {
  return JSON.stringify({
    type: "req",
    id,
    method: "connect",
    params: {
      minProtocol: 4,
      maxProtocol: 4,
      client: { id: "cli", version: "test", platform: "linux", mode: "cli" },
      role: "operator",
      scopes: ["operator.read"],
      ...overrides,
    },
  });
}
