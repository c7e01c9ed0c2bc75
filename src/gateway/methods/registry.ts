/**
 * The method table type: a handler per method name, with optional params validation (a valibot
 * schema) so
 * bad params answer `invalid <method> params: …` (protocol.md §1.1).
 * @module
 */
import type * as v from "valibot";
import type { Session } from "../session.ts";
import type { GatewayState } from "../state.ts";

/** What a handler receives. */
export interface MethodContext<P = unknown> {
  state: GatewayState;
  session: Session;
  params: P;
  /** The request id (for logs and correlation). */
  requestId: string;
}

/** One method: its handler and, optionally, the schema its params must match. */
export interface MethodSpec<P = unknown> {
  params?: v.GenericSchema<unknown, P>;
  handler: (ctx: MethodContext<P>) => unknown | Promise<unknown>;
}

/** Method name → spec. */
export type MethodTable = Record<string, MethodSpec<never>>;

/** Helper that keeps the params type of a spec. */
export function method<P>(spec: MethodSpec<P>): MethodSpec<never> {
  return spec as unknown as MethodSpec<never>;
}
