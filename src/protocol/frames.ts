/**
 * Schemas (valibot) for the three frame kinds of the Gateway WebSocket protocol: `req`, `res` and
 * `event`. Frames are closed objects; unknown keys make a frame invalid.
 *
 * Source: `packages/gateway-protocol/src/schema/frames.ts` (openclaw@2026.9.6), protocol.md §1.
 * @module
 */
import * as v from "valibot";
import { ErrorShapeSchema } from "./errors.ts";
import { NonEmptyString, NonNegativeInt } from "./_shapes.ts";

/** `{presence, health}` counters that version snapshot state. */
export const StateVersionSchema = v.object({
  presence: NonNegativeInt,
  health: NonNegativeInt,
});
export type StateVersion = v.InferOutput<typeof StateVersionSchema>;

/** A request: `{type:"req", id, method, params?}`. */
export const RequestFrameSchema = v.strictObject({
  type: v.literal("req"),
  id: NonEmptyString,
  method: NonEmptyString,
  params: v.optional(v.unknown()),
  traceparent: v.optional(v.pipe(v.string(), v.maxLength(128))),
  expectedProfileId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(128))),
});
export type RequestFrame = v.InferOutput<typeof RequestFrameSchema>;

/** A response: `{type:"res", id, ok, payload?, error?}`. */
export const ResponseFrameSchema = v.strictObject({
  type: v.literal("res"),
  id: NonEmptyString,
  ok: v.boolean(),
  payload: v.optional(v.unknown()),
  error: v.optional(ErrorShapeSchema),
});
export type ResponseFrame = v.InferOutput<typeof ResponseFrameSchema>;

/** An event: `{type:"event", event, payload?, seq?, stateVersion?}`. */
export const EventFrameSchema = v.strictObject({
  type: v.literal("event"),
  event: NonEmptyString,
  payload: v.optional(v.unknown()),
  seq: v.optional(NonNegativeInt),
  stateVersion: v.optional(StateVersionSchema),
  recipientProfileId: v.optional(v.string()),
});
export type EventFrame = v.InferOutput<typeof EventFrameSchema>;

/** Any frame, discriminated on `type`. */
export const FrameSchema = v.variant("type", [
  RequestFrameSchema,
  ResponseFrameSchema,
  EventFrameSchema,
]);
export type Frame = v.InferOutput<typeof FrameSchema>;
