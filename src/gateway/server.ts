/**
 * Starts and stops a gateway: binds, serves the app, sends `tick` every `tickIntervalMs`, and
 * on stop broadcasts `shutdown` then closes every socket 1012 `service restart`.
 * @module
 */
import type { LoadedConfig } from "../config/load.ts";
import type { Logger } from "../platform/log.ts";
import { createGatewayApp } from "./app.ts";
import type { DeviceAdmission } from "./handshake.ts";
import { healthMethods } from "./methods/health.ts";
import { messagingMethods } from "./methods/messaging.ts";
import type { MethodTable } from "./methods/registry.ts";
import { statusMethods } from "./methods/status.ts";
import type { Session } from "./session.ts";
import { type GatewayInfo, GatewayState } from "./state.ts";
import { listenHttp } from "../transport/http_listener.ts";

/** How long `stop()` waits for connections to drain after closing the sockets, in ms. */
const SHUTDOWN_GRACE_MS = 2_000;

/** Extension point: a feature module adds methods and a device admission to the gateway. */
export interface GatewayExtension {
  methods?: MethodTable;
  devices?: DeviceAdmission;
}

/** A running gateway. */
export interface RunningGateway {
  state: GatewayState;
  /** The bound port (useful with port 0). */
  port: number;
  /** Broadcasts `shutdown`, closes sockets 1012 and stops listening. */
  stop(reason?: string): Promise<void>;
  /** Resolves when the server stopped. */
  finished: Promise<void>;
}

/**
 * Binds and serves.
 *
 * @param options.info Bind address, port, auth and policy.
 * @param options.extensions Feature modules (node registry, device pairing) built from the state.
 * @param options.tls PEM certificate and key: the same port then serves `wss://` and `https://`.
 * @throws {Deno.errors.AddrInUse} The port is taken.
 * @throws {Deno.errors.PermissionDenied} Binding needs privileges.
 */
export async function startGateway(options: {
  info: GatewayInfo;
  loaded: LoadedConfig;
  logger: Logger;
  extensions?: Array<(state: GatewayState) => GatewayExtension | Promise<GatewayExtension>>;
  tls?: { cert: string; key: string };
}): Promise<RunningGateway> {
  const state = new GatewayState(options.info, options.loaded, options.logger);
  if (options.info.auth.mode === "none") {
    options.logger.warn(
      "SECURITY WARNING: auth mode none: any local process can connect without a secret and " +
        "device-less local CLI clients keep the scopes they ask for (operator.admin included); " +
        "browser pages are refused unless gateway.controlUi.allowedOrigins lists them, and never " +
        "get scopes without a paired device. Use --auth token unless this host is single-user.",
    );
  }
  const methods: MethodTable = { ...healthMethods, ...statusMethods, ...messagingMethods };
  let devices: DeviceAdmission | undefined;
  for (const make of options.extensions ?? []) {
    const ext = await make(state);
    Object.assign(methods, ext.methods ?? {});
    devices = ext.devices ?? devices;
  }
  let ready = false;
  const app = createGatewayApp({ state, methods, devices, isReady: () => ready });
  const server = await listenHttp({
    hostname: options.info.host,
    port: options.info.port,
    tls: options.tls,
    handler: app.fetch,
    limits: options.info.listenerLimits,
    onWarn: (message, fields) => options.logger.warn(message, fields),
  });
  const port = server.addr.port;
  (state.info as { port: number }).port = port;
  const tick = setInterval(
    () => state.broadcast("tick", { ts: Date.now() }),
    options.info.tickIntervalMs,
  );
  ready = true;

  let stopping: Promise<void> | undefined;
  const stop = (reason = "gateway stopping") =>
    stopping ??= (async () => {
      ready = false;
      clearInterval(tick);
      // Stop accepting first: clients that reconnect at once (nodes after the 1012 below) get
      // "connection refused" instead of a session on a gateway that is going away, which also
      // kept the drain below waiting for them.
      const listenerClosed = server.shutdown();
      state.broadcast("shutdown", { reason });
      // Let the shutdown frames flush before closing.
      await new Promise((r) => setTimeout(r, 50));
      // Wait (bounded) for the close handshakes, else Deno aborts the sockets with 1001. A
      // handshake that was in flight when the listener closed adds its session late: closed too.
      const closing = new Set<Session>();
      for (let i = 0; i < 40 && state.sessions.size > 0; i++) {
        for (const s of state.sessions.values()) {
          if (closing.has(s)) continue;
          closing.add(s);
          s.close(1012, "service restart");
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      state.stopEvents();
      // Bounded: a client stalled before the TLS handshake (a bare TCP connect) holds a
      // graceful shutdown open until it goes away. main.ts exits after this anyway.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        listenerClosed,
        new Promise((r) => (timer = setTimeout(r, SHUTDOWN_GRACE_MS))),
      ]);
      clearTimeout(timer);
    })();
  return { state, port, stop, finished: server.finished };
}
