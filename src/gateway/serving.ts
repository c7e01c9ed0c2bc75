/**
 * What serves sessions once the port is bound: the method table (health, status, messaging and
 * the extensions' methods), the device admission and the HTTP app. src/gateway/server.ts loads
 * this module after the bind, so none of it (hono, the handshake and session code, the node and
 * device stores) delays the bind or `/healthz`; `/readyz` turns 200 once it is loaded.
 * @module
 */
import { createGatewayApp } from "./app.ts";
import type { DeviceAdmission } from "./handshake.ts";
import { healthMethods } from "./methods/health.ts";
import { messagingMethods } from "./methods/messaging.ts";
import type { MethodTable } from "./methods/registry.ts";
import { statusMethods } from "./methods/status.ts";
import type { GatewayExtensionFactory } from "./server.ts";
import type { GatewayState } from "./state.ts";
import type { ServeInfo } from "../transport/http_listener.ts";

/** The HTTP app as the listener calls it. */
export interface HttpApp {
  fetch(req: Request, info: ServeInfo): Response | Promise<Response>;
}

/**
 * Builds the extensions (in order) and the HTTP app over the gateway state.
 *
 * @param extensions Extension factories; default: ./extensions.ts (nodes and devices).
 * @param stopHooks Receives each extension's `stop` (run by the gateway's stop, in order).
 * @throws {Error} An extension failed (e.g. {@linkcode SyntaxError}: a corrupt pairing file).
 */
export async function buildApp(
  state: GatewayState,
  extensions: GatewayExtensionFactory[] | undefined,
  stopHooks: Array<() => Promise<void>>,
): Promise<HttpApp> {
  const makers = extensions ?? (await import("./extensions.ts")).gatewayExtensions;
  const methods: MethodTable = { ...healthMethods, ...statusMethods, ...messagingMethods };
  let devices: DeviceAdmission | undefined;
  for (const make of makers) {
    const ext = await make(state);
    Object.assign(methods, ext.methods ?? {});
    devices = ext.devices ?? devices;
    if (ext.stop) stopHooks.push(ext.stop);
  }
  const app = createGatewayApp({ state, methods, devices });
  return { fetch: (req, info) => app.fetch(req, info) };
}
