/**
 * Broadcast event frames serialised once for every recipient. A broadcast frame carries the
 * recipient's own `seq` (protocol.md §1), so the payload is serialised once into the text
 * around it and each recipient's frame is `head + seq + tail`: no per-recipient
 * `JSON.stringify` of the payload, and the bytes around `seq` are the same for everyone.
 *
 * Key order is upstream's (`type, event, payload, seq, stateVersion`,
 * `src/gateway/server-broadcast.ts`, openclaw@2026.9.6).
 * @module
 */
import type { StateVersion } from "../protocol/client.ts";

/** A broadcast event serialised up to its `seq`: the frame is `head + seq + tail`. */
export interface BroadcastFrame {
  readonly event: string;
  /** `{"type":"event","event":…,"payload":…,"seq":` */
  readonly head: string;
  /** `}` or `,"stateVersion":{…}}` */
  readonly tail: string;
}

/** Serialises one value to JSON text (the seam tests use to count serialisations). */
export type Serializer = (value: unknown) => string;

/**
 * Serialises a broadcast event once.
 *
 * @param serialize Called exactly once, with `{type, event, payload}`.
 * @returns The frame parts; {@linkcode frameText} builds one recipient's text.
 * @example
 * ```ts
 * import { encodeBroadcast, frameText } from "./event_frame.ts";
 * const f = encodeBroadcast("tick", { ts: 1 });
 * frameText(f, 7); // '{"type":"event","event":"tick","payload":{"ts":1},"seq":7}'
 * ```
 */
export function encodeBroadcast(
  event: string,
  payload: unknown,
  stateVersion?: StateVersion,
  serialize: Serializer = JSON.stringify,
): BroadcastFrame {
  const body = serialize({ type: "event", event, payload });
  // `body` ends with the object's closing brace; `seq` and `stateVersion` follow `payload`.
  const head = `${body.slice(0, -1)},"seq":`;
  const tail = stateVersion
    ? `,"stateVersion":{"presence":${stateVersion.presence},"health":${stateVersion.health}}}`
    : "}";
  return { event, head, tail };
}

/** One recipient's frame text. */
export function frameText(frame: BroadcastFrame, seq: number): string {
  return frame.head + seq + frame.tail;
}
