/**
 * The feature modules every `gateway run` loads (node registry, device pairing, …).
 * @module
 */
import { createNodesExtension } from "./nodes/extension.ts";
import type { GatewayExtension } from "./server.ts";
import type { GatewayState } from "./state.ts";

/** Extension factories, applied in order. */
export const gatewayExtensions: Array<
  (state: GatewayState) => GatewayExtension | Promise<GatewayExtension>
> = [createNodesExtension];
