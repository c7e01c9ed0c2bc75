/**
 * One connected node session: opens the signed connection, stores the issued device token,
 * answers `node.invoke.request`, follows `node.pair.*` events, and runs the tick watchdog and
 * the post-hello publications until the socket closes. protocol.md §5.4, §6.
 * @module
 */
import * as v from "valibot";
import {
  type ConnectParams,
  type EventFrame,
  NodeInvokeRequestSchema,
  NodePairRequestedSchema,
  NodePairResolvedSchema,
} from "../protocol/mod.ts";
import type { NodeInvokeRequest } from "../protocol/events.ts";
import type { DeviceIdentity } from "../identity/device_identity.ts";
import { getDeviceToken, setDeviceToken } from "../identity/identity_store.ts";
import { GatewayClient } from "../transport/gateway_client.ts";
import { buildNodeConnect } from "./connect_params.ts";
import type { Executor } from "./executor.ts";
import {
  dispatchInvoke,
  invokeLogFields,
  type InvokeOutcome,
  invokeResultParams,
} from "./invoke_dispatch.ts";
import type { NodeHostOptions, SurfaceState } from "./node_host_options.ts";
import { NodePublisher } from "./publication.ts";
import { startTickWatchdog } from "./tick_watchdog.ts";

/** One connected session: invoke handling, tick watchdog, publications. */
export class NodeSession {
  readonly client: GatewayClient;
  readonly #opts: NodeHostOptions;
  readonly #identity: DeviceIdentity;
  readonly #executor: Executor;
  readonly #publisher: NodePublisher;
  #stopWatchdog?: () => void;
  #surface?: SurfaceState;
  /** Receives command-surface changes (deduplicated). */
  onSurface?: (state: SurfaceState, extra: Record<string, unknown>) => void;

  private constructor(
    client: GatewayClient,
    opts: NodeHostOptions,
    identity: DeviceIdentity,
    executor: Executor,
  ) {
    this.client = client;
    this.#opts = opts;
    this.#identity = identity;
    this.#executor = executor;
    this.#publisher = new NodePublisher({
      client,
      logger: opts.logger,
      signal: opts.signal,
      onPendingApproval: () => this.#setSurface("pending-approval", {}),
      onAcceptedAfterPending: () => this.#setSurface("approved", {}),
    });
  }

  /**
   * Connects with the shared secret or the stored device token and stores a newly issued one.
   *
   * @throws {RpcError} The gateway refused the connect.
   * @throws {TransportError} The socket failed.
   */
  static async open(
    opts: NodeHostOptions,
    identity: DeviceIdentity,
    instanceId: string,
    executor: Executor,
  ): Promise<NodeSession> {
    const stored = opts.token || opts.password
      ? null
      : await getDeviceToken(opts.stateDir, opts.deviceTokenKey ?? opts.url, "node").catch(() =>
        null
      );
    const auth: NonNullable<ConnectParams["auth"]> = {};
    if (opts.token) auth.token = opts.token;
    else if (opts.password) auth.password = opts.password;
    else if (stored) auth.deviceToken = stored.token;
    const holder: { session?: NodeSession } = {};
    const early: EventFrame[] = [];
    const client = await GatewayClient.open({
      url: opts.url,
      tlsFingerprint: opts.tlsFingerprint,
      signal: opts.signal,
      buildConnect: (challenge) => buildNodeConnect(opts, identity, instanceId, auth, challenge),
      onEvent: (frame) => holder.session ? holder.session.#onEvent(frame) : early.push(frame),
    });
    const session = new NodeSession(client, opts, identity, executor);
    holder.session = session;
    const issued = client.hello.auth.deviceToken;
    if (issued && issued !== stored?.token) {
      await setDeviceToken(opts.stateDir, opts.deviceTokenKey ?? opts.url, "node", {
        token: issued,
        scopes: client.hello.auth.scopes,
        issuedAtMs: client.hello.auth.issuedAtMs ?? Date.now(),
      }).catch((err) => opts.logger.warn(`cannot store device token: ${(err as Error).message}`));
    }
    for (const frame of early) session.#onEvent(frame);
    return session;
  }

  /** Starts the watchdog and the post-hello publications. */
  start(): void {
    this.#stopWatchdog = startTickWatchdog(this.client, this.#opts.logger);
    this.#publisher.start(this.#opts.statsIntervalMs ?? 60_000);
  }

  stop(): void {
    this.#stopWatchdog?.();
    this.#publisher.stop();
  }

  #setSurface(state: SurfaceState, extra: Record<string, unknown>): void {
    if (state === this.#surface && state !== "rejected") return;
    this.#surface = state;
    this.onSurface?.(state, extra);
  }

  #onEvent(frame: EventFrame): void {
    if (frame.event === "node.invoke.request") {
      // OpenClaw ignores frames missing id, nodeId or command.
      const req = this.#payload(NodeInvokeRequestSchema, frame);
      if (req) void this.#handleInvoke(req);
      return;
    }
    if (frame.event === "node.pair.resolved") {
      const resolved = this.#payload(NodePairResolvedSchema, frame);
      if (!resolved) return;
      const { decision, requestId } = resolved;
      this.#setSurface(decision === "approved" ? "approved" : "rejected", {
        requestId,
        decision,
      });
      // Like OpenClaw's node host: retry the refused publication at once.
      if (decision === "approved") this.#publisher.retryNow();
      return;
    }
    if (frame.event === "node.pair.requested") {
      const requested = this.#payload(NodePairRequestedSchema, frame);
      if (requested?.nodeId === this.#identity.deviceId) {
        this.#setSurface("pending-approval", { requestId: requested.requestId });
      }
    }
  }

  /**
   * The event's payload checked against its schema (src/protocol/events.ts); a malformed one is
   * ignored with a warning, never acted on.
   */
  #payload<S extends v.GenericSchema>(
    schema: S,
    frame: EventFrame,
  ): v.InferOutput<S> | undefined {
    const parsed = v.safeParse(schema, frame.payload);
    if (parsed.success) return parsed.output;
    this.#opts.logger.warn(`ignoring a malformed ${frame.event} event`, {
      problem: v.summarize(parsed.issues).replaceAll("\n", "; "),
    });
    return undefined;
  }

  async #handleInvoke(req: NodeInvokeRequest): Promise<void> {
    const log = this.#opts.logger;
    const started = performance.now();
    let outcome: InvokeOutcome;
    try {
      outcome = await dispatchInvoke(req, {
        policy: this.#opts.policy,
        executor: this.#executor,
        onExecFinished: (payload) =>
          void this.client.request("node.event", {
            event: "exec.finished",
            payloadJSON: JSON.stringify(payload),
          }, { timeoutMs: 10_000 }).catch(() => {}),
      });
    } catch (err) {
      outcome = { ok: false, code: "UNAVAILABLE", message: (err as Error).message };
    }
    log.info("invoke", {
      command: req.command,
      ...invokeLogFields(outcome),
      ms: Math.round(performance.now() - started),
    });
    try {
      await this.client.request("node.invoke.result", invokeResultParams(req, outcome), {
        timeoutMs: 15_000,
      });
    } catch (err) {
      log.warn(`cannot send node.invoke.result: ${(err as Error).message}`, { id: req.id });
    }
  }
}
