/**
 * Encoding and decoding of frames: JSON text, validated with {@linkcode FrameSchema}.
 *
 * Source of the size limits: `src/gateway/server-constants.ts` (openclaw@2026.9.6), protocol.md §1.
 * @module
 */
import { Buffer } from "node:buffer";
import { type Frame, FrameSchema } from "./frames.ts";
import { checkJsonBudget, FRAME_JSON_BUDGET } from "./json_budget.ts";

/** Largest frame accepted before `hello-ok`, in bytes; larger → close 1009. */
export const MAX_PREAUTH_PAYLOAD_BYTES = 65_536;
/** Largest frame accepted after `hello-ok`, in bytes (`policy.maxPayload`). */
export const MAX_PAYLOAD_BYTES = 26_214_400;
/** Outbound buffer above which a peer is a slow consumer, in bytes (`policy.maxBufferedBytes`). */
export const MAX_BUFFERED_BYTES = 52_428_800;

/** Why a text could not be decoded into a frame (`budget`: too deep or too many values). */
export type DecodeFailure = { ok: false; reason: "budget" | "json" | "shape"; message: string };

/**
 * Parses one text frame. The text is first checked against {@linkcode FRAME_JSON_BUDGET}
 * (depth, containers, values) in one linear pass, so no frame can make `JSON.parse` block the
 * event loop for long.
 *
 * @param text The WebSocket text message.
 * @returns `{ok:true, frame}` or `{ok:false, reason, message}`; never throws.
 *
 * @example Decode a request
 * ```ts
 * import { decodeFrame } from "./codec.ts";
 * const r = decodeFrame('{"type":"req","id":"1","method":"health"}');
 * console.assert(r.ok && r.frame.type === "req");
 * ```
 */
export function decodeFrame(text: string): { ok: true; frame: Frame } | DecodeFailure {
  const excess = checkJsonBudget(text, FRAME_JSON_BUDGET);
  if (excess) return { ok: false, reason: "budget", message: `frame too complex: ${excess}` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: "json", message: `invalid JSON: ${(err as Error).message}` };
  }
  const parsed = FrameSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, reason: "shape", message: parsed.error.issues[0]?.message ?? "invalid" };
  }
  return { ok: true, frame: parsed.data };
}

/** Serialises a frame to JSON text. */
export function encodeFrame(frame: Frame): string {
  return JSON.stringify(frame);
}

/** UTF-8 byte length of a string, computed natively without encoding it. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** Formats zod issues as `path: message; …` for `invalid <method> params: …` errors. */
export function formatIssues(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues.slice(0, 3).map((i) =>
    i.path.length ? `at /${i.path.map(String).join("/")}: ${i.message}` : i.message
  ).join("; ");
}
