/**
 * The gateway's HTTP surface on Hono: the Control UI (`src/ui/control_ui.ts`: `/` for
 * browsers, `/ui/…`) and a WebSocket upgrade on any path (`/healthz` and `/readyz` are
 * answered before it, by ./probes.ts). Upgrades carrying proxy headers are refused with 403 as
 * upstream (clawgate has no trusted proxies), so a local reverse proxy can never make remote
 * clients look local.
 *
 * Source: reference-peer.md §5 (403 `proxy_attribution_required`).
 * @module
 */
import { Hono } from "hono";
import type { ServeInfo } from "../transport/http_listener.ts";
import { isUpgradeRequest, upgradeWebSocket } from "../transport/ws_upgrade.ts";
import { controlUiEnabled, controlUiResponse } from "../ui/control_ui.ts";
import { isLoopbackHost } from "./bind.ts";
import { serveConnection } from "./connection.ts";
import type { DeviceAdmission } from "./handshake.ts";
import type { MethodTable } from "./methods/registry.ts";
import type { GatewayState } from "./state.ts";

const PROXY_HEADERS = ["x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host"];

/** What {@linkcode createGatewayApp} needs. */
export interface GatewayAppDeps {
  state: GatewayState;
  methods: MethodTable;
  devices?: DeviceAdmission;
}

/** Builds the Hono app; `c.env` is the listener's {@linkcode ServeInfo}. */
export function createGatewayApp(deps: GatewayAppDeps): Hono<{ Bindings: ServeInfo }> {
  const app = new Hono<{ Bindings: ServeInfo }>();
  const controlUi = controlUiEnabled(deps.state.loaded.config);
  app.get("*", (c) => {
    if (isUpgradeRequest(c.req.raw)) return upgrade(c.req.raw, c.env);
    const page = controlUi ? controlUiResponse(c.req.raw) : undefined;
    if (page) return page;
    // The gateway's own address, never the request's Host header (no reflected input).
    const { host, port } = deps.state.info;
    const scheme = new URL(c.req.url).protocol === "https:" ? "wss" : "ws";
    return c.json({
      ok: true,
      service: "clawgate gateway",
      websocket: `${scheme}://${host.includes(":") ? `[${host}]` : host}:${port}/`,
    });
  });
  app.notFound((c) => c.json({ error: { message: "not found" } }, 404));
  app.onError((err, c) => {
    deps.state.logger.error("http handler failed", { error: err.message });
    return c.json({ error: { message: "internal error" } }, 500);
  });

  function upgrade(req: Request, info: ServeInfo): Response {
    if (PROXY_HEADERS.some((h) => req.headers.has(h))) {
      return Response.json({
        error: {
          message:
            "Proxy client attribution is required: clawgate does not accept forwarded connections.",
          type: "proxy_attribution_required",
        },
      }, { status: 403 });
    }
    const addr = info.remoteAddr as Deno.NetAddr;
    const remoteIp = addr?.hostname ?? "unknown";
    const origin = req.headers.get("origin") ?? "";
    const browserOrigin = origin.trim()
      ? {
        origin,
        host: req.headers.get("host") ?? undefined,
        secure: new URL(req.url).protocol === "https:",
      }
      : undefined;
    const peer = { remoteIp, isLocal: isLoopbackHost(remoteIp) && !browserOrigin, browserOrigin };
    try {
      return upgradeWebSocket(
        req,
        (socket, handshakeDone) =>
          serveConnection(socket, {
            handshakeDone,
            state: deps.state,
            methods: deps.methods,
            peer,
            devices: deps.devices,
            handshakeTimeoutMs: deps.state.info.handshakeTimeoutMs,
          }),
      );
    } catch (err) {
      return Response.json({
        error: { message: `WebSocket upgrade failed: ${(err as Error).message}` },
      }, {
        status: 400,
      });
    }
  }
  return app;
}
