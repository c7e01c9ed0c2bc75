/**
 * Starts and stops a gateway: binds, serves the app, sends `tick` every `tickIntervalMs`, and
 * on stop broadcasts `shutdown` then closes every socket 1012 `service restart`.
 *
 * Start-up order (issue 7): only the state and the listener load before the port is bound;
 * `/healthz` answers from then on (./probes.ts). The HTTP app, the session and method code, the
 * feature extensions and `npm:ws` load right after the bind; a request or WebSocket upgrade that
 * arrives meanwhile waits for them, none is refused or dropped. `/readyz` answers 503 until all
 * of it is loaded, then 200; `startGateway` resolves at that moment.
 * @module
 */
import type { LoadedConfig } from "../config/load.ts";
import type { Logger } from "../platform/log.ts";
import { deferredImport } from "../platform/deferred_import.ts";
import type { DeviceAdmission } from "./handshake.ts";
import type { MethodTable } from "./methods/registry.ts";
import { probeResponse } from "./probes.ts";
import type { HttpApp } from "./serving.ts";
import type { Session } from "./session.ts";
import { type GatewayInfo, GatewayState } from "./state.ts";
import { listenHttp, type ServeInfo } from "../transport/http_listener.ts";

/** How long `stop()` waits for connections to drain after closing the sockets, in ms. */
const SHUTDOWN_GRACE_MS = 2_000;
/** How long `stop()` waits for the listener's accept loop to end before `shutdown`, in ms. */
const LISTENER_CLOSE_WAIT_MS = 1_000;

/** Extension point: a feature module adds methods and a device admission to the gateway. */
export interface GatewayExtension {
  methods?: MethodTable;
  devices?: DeviceAdmission;
  /** Runs on stop once the sessions are closed (e.g. writes state kept for a lazy save). */
  stop?: () => Promise<void>;
}

/** Builds one extension from the gateway state. */
export type GatewayExtensionFactory = (
  state: GatewayState,
) => GatewayExtension | Promise<GatewayExtension>;

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
 * @param options.extensions Feature modules (node registry, device pairing) built from the
 *   state, or a loader for them; default: ./extensions.ts, loaded after the bind.
 * @param options.tls PEM certificate and key: the same port then serves `wss://` and `https://`.
 * @throws {Deno.errors.AddrInUse} The port is taken.
 * @throws {Deno.errors.PermissionDenied} Binding needs privileges.
 * @throws {Error} The app or an extension failed to load (e.g. a corrupt pairing file): the
 *   listener is closed again first.
 */
export async function startGateway(options: {
  info: GatewayInfo;
  loaded: LoadedConfig;
  logger: Logger;
  extensions?: GatewayExtensionFactory[] | (() => Promise<GatewayExtensionFactory[]>);
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
  const stopHooks: Array<() => Promise<void>> = [];
  let ready = false;
  let app: HttpApp | undefined;
  let appLoading: Promise<HttpApp> | undefined;
  const loadApp = () =>
    appLoading ??= (async () => {
      const [serving, extensions] = await Promise.all([
        deferredImport<typeof import("./serving.ts")>(
          "gateway/serving",
          new URL("./serving.ts", import.meta.url),
        ),
        typeof options.extensions === "function" ? options.extensions() : options.extensions,
      ]);
      return serving.buildApp(state, extensions, stopHooks);
    })();
  const handler = (req: Request, info: ServeInfo): Response | Promise<Response> =>
    probeResponse(req, { ready, uptimeMs: state.uptimeMs }) ??
      (app ? app.fetch(req, info) : loadApp().then((a) => a.fetch(req, info)));
  const server = listenHttp({
    hostname: options.info.host,
    port: options.info.port,
    tls: options.tls,
    handler,
    limits: options.info.listenerLimits,
    onWarn: (message, fields) => options.logger.warn(message, fields),
  });
  const port = server.addr.port;
  (state.info as { port: number }).port = port;
  const tick = setInterval(
    () => state.broadcast("tick", { ts: Date.now() }),
    options.info.tickIntervalMs,
  );
  // Accepting from here on: what arrives before the app is loaded waits for it. `/readyz`
  // says ready only once the sessions can be served without that wait (`/healthz`: live now).
  try {
    [app] = await Promise.all([loadApp(), server.upgradesReady]);
    ready = true;
  } catch (err) {
    ready = false;
    clearInterval(tick);
    await server.shutdown();
    throw err;
  }

  let stopping: Promise<void> | undefined;
  const stop = (reason = "gateway stopping") =>
    stopping ??= (async () => {
      ready = false;
      clearInterval(tick);
      // Stop accepting first: clients that reconnect at once (nodes after the 1012 below) get
      // "connection refused" instead of a session on a gateway that is going away, which also
      // kept the drain below waiting for them.
      const listenerClosed = server.shutdown();
      // The port is released only once the pending accept has seen the close (a later turn of
      // the event loop); wait for that, bounded, so nobody who saw `shutdown` can still connect.
      let acceptTimer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        server.finished,
        new Promise((r) => (acceptTimer = setTimeout(r, LISTENER_CLOSE_WAIT_MS))),
      ]);
      clearTimeout(acceptTimer);
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
      for (const hook of stopHooks) {
        await hook().catch((err) =>
          options.logger.error("extension stop failed", { error: (err as Error).message })
        );
      }
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
