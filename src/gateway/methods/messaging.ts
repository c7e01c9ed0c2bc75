/**
 * `send` and `agent`: OpenClaw methods for channels and agents, which clawgate does not have.
 * Params are validated as upstream, then answered with a clear `UNAVAILABLE`.
 *
 * Source: `packages/gateway-protocol/src/schema/agent.ts` (openclaw@2026.9.6), protocol.md §5.3.
 * @module
 */
import * as v from "valibot";
import { ErrorCodes, RpcError } from "../../protocol/mod.ts";
import { method, type MethodTable } from "./registry.ts";

const nonEmpty = v.pipe(v.string(), v.minLength(1));
const SendParams = v.looseObject({
  to: nonEmpty,
  idempotencyKey: nonEmpty,
  message: v.optional(v.string()),
  channel: v.optional(v.string()),
});
const AgentParams = v.looseObject({
  message: nonEmpty,
  idempotencyKey: nonEmpty,
  agentId: v.optional(v.string()),
});

function unsupported(what: string): never {
  throw new RpcError(
    ErrorCodes.UNAVAILABLE,
    `${what} is not available: clawgate runs no messaging channels or agents; use an OpenClaw gateway for that`,
    { details: { code: "NOT_SUPPORTED" } },
  );
}

/** Write-scoped messaging methods. */
export const messagingMethods: MethodTable = {
  send: method({ params: SendParams, handler: () => unsupported("send") }),
  agent: method({ params: AgentParams, handler: () => unsupported("agent") }),
};
