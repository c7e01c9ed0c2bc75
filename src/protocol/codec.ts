/**
 * Encoding and decoding of frames: JSON text, validated with {@linkcode FrameSchema}.
 * @module
 */
import * as v from "valibot";
import { type Frame, FrameSchema } from "./frames.ts";
import { checkJsonBudget, FRAME_JSON_BUDGET } from "./json_budget.ts";

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
  const parsed = v.safeParse(FrameSchema, value);
  if (!parsed.success) return { ok: false, reason: "shape", message: formatIssues(parsed.issues) };
  return { ok: true, frame: parsed.output };
}

/** Serialises a frame to JSON text. */
export function encodeFrame(frame: Frame): string {
  return JSON.stringify(frame);
}

/**
 * Formats schema issues as `at /path: message; …` (at most three) for
 * `invalid <method> params: …` errors, in the shape of upstream's messages (protocol.md §1.1).
 * A key a closed object does not allow reads `unexpected key`, a missing one `required key`.
 *
 * @param issues The issues of a failed `v.safeParse`.
 * @returns One line, e.g. `at /client/id: Invalid type: Expected ("cli" | …) but received "x"`.
 */
export function formatIssues(issues: readonly v.BaseIssue<unknown>[]): string {
  return issues.slice(0, 3).map((i) => {
    const message = i.kind === "schema" && i.path?.length && i.type.endsWith("object")
      ? i.expected === "never"
        ? "unexpected key"
        : i.input === undefined
        ? "required key"
        : i.message
      : i.message;
    return i.path?.length
      ? `at /${i.path.map((p) => String(p.key)).join("/")}: ${message}`
      : message;
  }).join("; ");
}
