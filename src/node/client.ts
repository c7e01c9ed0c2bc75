/**
 * The headless node host behind `clawgate node connect`: the reconnect loop. Each attempt opens
 * a {@linkcode NodeSession} (signed connect, invoke handling, tick watchdog, publications);
 * failures are classified (`refusal.ts`) into refused-for-good (exit 7), device pairing pending
 * (keep waiting, resume once approved) or transient (capped, fully jittered exponential
 * backoff), until the signal aborts.
 *
 * Wire facts: protocol.md §2.5 (reconnect, tick watchdog), §3 (device proof, pairing),
 * §5.4 (invoke), §6 (node host); reference-peer.md §4–§6.
 * @module
 */
import { loadOrCreateDeviceIdentity } from "../identity/identity_store.ts";
import { abortableSleep } from "./abortable_sleep.ts";
import { Executor } from "./executor.ts";
import type {
  NodeHostExit,
  NodeHostOptions,
  NodeStateLine,
  PathLayer,
} from "./node_host_options.ts";
import { classifyConnectError } from "./refusal.ts";
import { NodeReconnectBackoff } from "./reconnect_backoff.ts";
import { NodeSession } from "./session.ts";

export type {
  NodeHostExit,
  NodeHostOptions,
  NodeStateLine,
  NodeTransport,
  PathLayer,
} from "./node_host_options.ts";
export { buildNodeConnect, NODE_CAPS, NODE_COMMANDS } from "./connect_params.ts";

/** The tunnel layer that is down (`link` or `tunnel`), when the node goes through one. */
function pathDown(opts: NodeHostOptions): "link" | "tunnel" | undefined {
  const layer = opts.transport?.downLayer();
  return layer === "gateway" ? undefined : layer;
}

/**
 * The down layer after a disconnect. The socket through the tunnel often closes a moment before
 * the supervisor sees ssh exit, so a tunnel that still looks up gets a short grace to say so.
 */
async function settledLayer(opts: NodeHostOptions): Promise<PathLayer | undefined> {
  if (!opts.transport) return undefined;
  for (let i = 0; i < 10 && !opts.transport.downLayer() && !opts.signal.aborted; i++) {
    await abortableSleep(50, opts.signal);
  }
  return opts.transport.downLayer();
}

/** Runs the node until `signal` aborts or the gateway refuses it for good. */
export async function runNodeHost(opts: NodeHostOptions): Promise<NodeHostExit> {
  const log = opts.logger;
  const executor = new Executor({ outputCapBytes: opts.outputCapBytes });
  const identity = await loadOrCreateDeviceIdentity(opts.stateDir);
  const instanceId = crypto.randomUUID();
  const emit = (state: NodeStateLine["state"], extra: Record<string, unknown> = {}) =>
    opts.onState?.({ state, ts: Date.now(), url: opts.url, ...extra });
  const backoff = new NodeReconnectBackoff({
    baseMs: opts.backoffBaseMs,
    capMs: opts.backoffCapMs,
    random: opts.random,
  });
  log.addSecret(opts.token);
  log.addSecret(opts.password);
  log.info("node identity", { nodeId: identity.deviceId, url: opts.url });

  let lastPairingRequestId: string | undefined;
  const onAbort = () => executor.killAll();
  opts.signal.addEventListener("abort", onAbort, { once: true });
  try {
    while (!opts.signal.aborted) {
      if (opts.transport?.downLayer()) {
        await opts.transport.ready(opts.signal);
        if (opts.signal.aborted) break;
      }
      emit("connecting", { attempt: backoff.attempt });
      let session: NodeSession;
      try {
        session = await NodeSession.open(opts, identity, instanceId, executor);
      } catch (err) {
        if (opts.signal.aborted) break;
        const decision = await classifyConnectError(err, opts);
        if (decision.kind === "fatal") {
          log.error(`gateway refused the node: ${decision.message}`, {
            code: decision.detailCode,
          });
          emit("refused", { code: decision.detailCode, message: decision.message });
          return { exitCode: 7, reason: decision.message, detailCode: decision.detailCode };
        }
        let delay: number;
        if (decision.kind === "pairing") {
          if (decision.requestId !== lastPairingRequestId) {
            lastPairingRequestId = decision.requestId;
            log.warn(
              `device pairing required (PAIRING_REQUIRED); an operator must run: clawgate devices approve ${
                decision.requestId ?? "<requestId>"
              }`,
              { requestId: decision.requestId, nodeId: identity.deviceId },
            );
          }
          emit("pairing-required", { requestId: decision.requestId, nodeId: identity.deviceId });
          delay = opts.pairingRetryMs ?? 5000;
        } else if (pathDown(opts)) {
          // The tunnel is down: its backoff paces the retry, the node's own does not grow.
          const layer = pathDown(opts);
          log.warn(
            `connect failed: ${decision.message}; ${layer} down, waiting for the ssh tunnel`,
            {
              layer,
            },
          );
          emit("disconnected", { reason: decision.message, layer });
          continue;
        } else {
          delay = decision.quick ? 250 : backoff.afterFailure(decision.retryAfterMs);
          const layer = opts.transport?.downLayer();
          log.warn(
            `connect failed: ${decision.message}; ${
              layer ? `${layer} down; ` : ""
            }retrying in ${delay}ms`,
            layer ? { layer } : {},
          );
          emit("disconnected", { reason: decision.message, retryInMs: delay, layer });
        }
        await abortableSleep(delay, opts.signal);
        continue;
      }
      lastPairingRequestId = undefined;
      const upAt = Date.now();
      emit("connected", {
        nodeId: identity.deviceId,
        authMethod: session.client.hello.auth.method,
        tickIntervalMs: session.client.hello.policy.tickIntervalMs,
      });
      log.info("connected", { url: opts.url, nodeId: identity.deviceId });
      session.onSurface = (state, extra) => {
        if (state === "pending-approval") {
          log.warn(
            `command surface awaiting approval; an operator must run: clawgate nodes approve ${
              identity.deviceId.slice(0, 12)
            }`,
            { nodeId: identity.deviceId },
          );
        } else if (state === "approved") log.info("command surface approved");
        else log.warn(`command surface ${state}`);
        emit(state, { nodeId: identity.deviceId, ...extra });
      };
      session.start();
      const { code, reason } = await session.client.closed;
      session.stop();
      if (opts.signal.aborted) break;
      const upForMs = Date.now() - upAt;
      const layer = await settledLayer(opts);
      if (layer === "link" || layer === "tunnel") {
        log.warn(
          `disconnected (${code}${
            reason ? ` ${reason}` : ""
          }); ${layer} down, waiting for the ssh tunnel`,
          { layer },
        );
        emit("disconnected", { code, reason, layer });
        continue;
      }
      const delay = backoff.afterClose(upForMs);
      log.warn(
        `disconnected (${code}${reason ? ` ${reason}` : ""}); ${
          layer ? `${layer} down; ` : ""
        }reconnecting in ${delay}ms`,
        layer ? { layer } : {},
      );
      emit("disconnected", { code, reason, retryInMs: delay, layer });
      await abortableSleep(delay, opts.signal);
    }
  } finally {
    opts.signal.removeEventListener("abort", onAbort);
    executor.killAll();
  }
  emit("stopped");
  log.info("stopped");
  return { exitCode: 0, reason: "stopped" };
}
