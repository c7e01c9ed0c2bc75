/**
 * Zod schemas for the three frame kinds of the Gateway WebSocket protocol: `req`, `res` and
 * `event`. Frames are closed objects; unknown keys make a frame invalid.
 *
 * Source: `packages/gateway-protocol/src/schema/frames.ts` (openclaw@2026.9.6), protocol.md §1.
 * @module
 */
import { z } from "zod";
import { ErrorShapeSchema } from "./errors.ts";

/** `{presence, health}` counters that version snapshot state. */
export const StateVersionSchema = z.object({
  presence: z.number().int().nonnegative(),
  health: z.number().int().nonnegative(),
});
export type StateVersion = z.infer<typeof StateVersionSchema>;

/** A request: `{type:"req", id, method, params?}`. */
export const RequestFrameSchema = z.strictObject({
  type: z.literal("req"),
  id: z.string().min(1),
  method: z.string().min(1),
  params: z.unknown().optional(),
  traceparent: z.string().max(128).optional(),
  expectedProfileId: z.string().min(1).max(128).optional(),
});
export type RequestFrame = z.infer<typeof RequestFrameSchema>;

/** A response: `{type:"res", id, ok, payload?, error?}`. */
export const ResponseFrameSchema = z.strictObject({
  type: z.literal("res"),
  id: z.string().min(1),
  ok: z.boolean(),
  payload: z.unknown().optional(),
  error: ErrorShapeSchema.optional(),
});
export type ResponseFrame = z.infer<typeof ResponseFrameSchema>;

/** An event: `{type:"event", event, payload?, seq?, stateVersion?}`. */
export const EventFrameSchema = z.strictObject({
  type: z.literal("event"),
  event: z.string().min(1),
  payload: z.unknown().optional(),
  seq: z.number().int().nonnegative().optional(),
  stateVersion: StateVersionSchema.optional(),
  recipientProfileId: z.string().optional(),
});
export type EventFrame = z.infer<typeof EventFrameSchema>;

/** Any frame, discriminated on `type`. */
export const FrameSchema = z.discriminatedUnion("type", [
  RequestFrameSchema,
  ResponseFrameSchema,
  EventFrameSchema,
]);
export type Frame = z.infer<typeof FrameSchema>;
