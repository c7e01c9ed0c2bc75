/**
 * The tunnel's end-to-end readiness check: open a WebSocket through the forward and wait for
 * the gateway's first frame, the `connect.challenge` event. A bare TCP connect is not enough:
 * ssh's `-L` listener accepts even when nothing listens on the remote side
 * (tunnel-and-deno.md A3 "Readiness check").
 * @module
 */
import * as v from "valibot";
import { type ConnectChallenge, ConnectChallengeSchema, decodeFrame } from "../protocol/client.ts";
import { TransportError } from "./errors.ts";
import { openWebSocket } from "./websocket_open.ts";

/**
 * Opens `url`, waits for `connect.challenge`, closes the socket.
 *
 * @param url `ws://127.0.0.1:<local port>`.
 * @param options.timeoutMs Deadline for connect + challenge, in milliseconds. @default {5000}
 * @param options.signal Aborts the probe.
 * @returns The challenge payload.
 * @throws {TransportError} `refused`/`closed` (nothing answered or the socket closed first),
 *   `timeout` (no challenge in time), `protocol` (the first frame was not a challenge).
 */
export async function probeChallenge(
  url: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ConnectChallenge> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const started = Date.now();
  const ws = await openWebSocket(url, { timeoutMs, signal: options.signal });
  return await new Promise<ConnectChallenge>((resolve, reject) => {
    let done = false;
    const finish = (err: Error | undefined, value?: ConnectChallenge) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      ws.close(1000, "probe done");
      if (err) reject(err);
      else resolve(value!);
    };
    const remaining = Math.max(1, timeoutMs - (Date.now() - started));
    const timer = setTimeout(
      () =>
        finish(
          new TransportError(
            "timeout",
            url,
            `No connect.challenge from ${url} within ${timeoutMs}ms`,
          ),
        ),
      remaining,
    );
    const onAbort = () => finish(new TransportError("closed", url, `Probe of ${url} was aborted`));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    ws.onclose = (code, reason) =>
      finish(
        new TransportError(
          "closed",
          url,
          `${url} closed before sending connect.challenge (code ${code})`,
          {
            closeCode: code,
            closeReason: reason,
          },
        ),
      );
    ws.onmessage = (data) => {
      const decoded = typeof data === "string" ? decodeFrame(data) : undefined;
      if (
        decoded?.ok && decoded.frame.type === "event" && decoded.frame.event === "connect.challenge"
      ) {
        const parsed = v.safeParse(ConnectChallengeSchema, decoded.frame.payload);
        if (parsed.success) return finish(undefined, parsed.output);
      }
      finish(
        new TransportError("protocol", url, `${url} did not start with a valid connect.challenge`),
      );
    };
  });
}
