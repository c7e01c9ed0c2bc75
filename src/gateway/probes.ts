/**
 * The HTTP probes `GET /healthz` (`{"ok":true,"status":"live"}`) and `GET /readyz`
 * (`{"ready":…,"uptimeMs":…}`, 503 while not ready), answered without the HTTP app so they
 * work from the moment the port is bound, while the rest of the gateway loads.
 *
 * Source: reference-peer.md §2.
 * @module
 */
import { isUpgradeRequest } from "../transport/ws_upgrade.ts";

/**
 * The probe answer for `req`, or undefined when `req` is not a probe (another path, another
 * method than GET/HEAD, or a WebSocket upgrade on the probe path).
 *
 * @param req The HTTP request.
 * @param status Whether the gateway is ready, and its uptime in ms.
 *
 * @example
 * ```ts
 * import { probeResponse } from "./probes.ts";
 * const res = probeResponse(new Request("http://h/readyz"), { ready: false, uptimeMs: 3 });
 * console.assert(res?.status === 503);
 * ```
 */
export function probeResponse(
  req: Request,
  status: { ready: boolean; uptimeMs: number },
): Response | undefined {
  if (req.method !== "GET" && req.method !== "HEAD") return undefined;
  const path = new URL(req.url).pathname;
  if (path !== "/healthz" && path !== "/readyz") return undefined;
  if (isUpgradeRequest(req)) return undefined;
  if (path === "/healthz") return Response.json({ ok: true, status: "live" });
  return Response.json(status, { status: status.ready ? 200 : 503 });
}
