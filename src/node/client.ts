/**
 * The headless node host behind `clawgate node connect`: connect as role `node` with a signed
 * v3 device proof, store the issued device token, answer `node.invoke.request` events
 * (`system.run`, `system.which`), watch `tick`s, and reconnect with capped, fully jittered
 * exponential backoff until stopped.
 *
 * Wire facts: protocol.md §2.5 (reconnect, tick watchdog), §3 (device proof, pairing),
 * §5.4 (invoke), §6 (node host); reference-peer.md §4–§6.
 * @module
 */
import {
  type ConnectChallenge,
  ConnectErrorCodes,
  type ConnectParams,
  type EventFrame,
  NodeInvokeRequestSchema,
  NodePairResolvedSchema,
  PROTOCOL_VERSION,
  RpcError,
} from "../protocol/mod.ts";
import type { NodeInvokeRequest } from "../protocol/events.ts";
import { SystemRunParamsSchema, SystemWhichParamsSchema } from "../protocol/nodes.ts";
import { type DeviceIdentity, signPayload } from "../identity/device_identity.ts";
import {
  clearDeviceToken,
  getDeviceToken,
  loadOrCreateDeviceIdentity,
  setDeviceToken,
} from "../identity/identity_store.ts";
import { buildDeviceAuthPayloadV3, signedTokenOf } from "../identity/signature_payload.ts";
import type { Logger } from "../platform/log.ts";
import { GatewayClient } from "../transport/gateway_client.ts";
import { TransportError } from "../transport/errors.ts";
import { VERSION } from "../version.ts";
import { reconnectDelayMs } from "./backoff.ts";
import { checkExecPolicy, type ExecPolicy } from "./exec_policy.ts";
import { Executor } from "./executor.ts";
import { systemWhich, whichBin } from "./which.ts";

/** Commands this node declares and answers. */
export const NODE_COMMANDS = ["system.run", "system.which"] as const;
/** Capabilities this node declares. */
export const NODE_CAPS = ["system"] as const;

/** A state change, printed as one NDJSON line under `--json`. */
export interface NodeStateLine {
  state:
    | "connecting"
    | "connected"
    | "pending-approval"
    | "approved"
    | "rejected"
    | "pairing-required"
    | "disconnected"
    | "refused"
    | "stopped";
  ts: number;
  url: string;
  [key: string]: unknown;
}

/** Options for {@linkcode runNodeHost}. */
export interface NodeHostOptions {
  url: string;
  tlsFingerprint?: string;
  /** Shared gateway token (signed into the device proof). */
  token?: string;
  /** Shared gateway password (never signed). */
  password?: string;
  /** State dir for the device identity and device tokens. */
  stateDir: string;
  displayName: string;
  policy: ExecPolicy;
  logger: Logger;
  /** Aborting stops the node: running commands killed, socket closed 1000. */
  signal: AbortSignal;
  /** Receives every state change. */
  onState?: (line: NodeStateLine) => void;
  /** Uniform random in [0,1) for backoff jitter. */
  random?: () => number;
  /** Backoff base / cap in ms. @default {1000 / 30000} */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Delay between reconnects while device pairing is pending. @default {5000} */
  pairingRetryMs?: number;
  /** `node.host.stats` period, in ms; 0 disables. @default {60000} */
  statsIntervalMs?: number;
  /** Per-stream `system.run` output cap, in bytes. */
  outputCapBytes?: number;
}

/** How {@linkcode runNodeHost} ended. */
export interface NodeHostExit {
  /** 0 when stopped by the signal, 7 when the gateway refused for good. */
  exitCode: 0 | 7;
  reason: string;
  /** The refusal's `details.code`, when refused. */
  detailCode?: string;
}

const FATAL_DETAIL =
  /^(AUTH_|DEVICE_AUTH_|DEVICE_IDENTITY_REQUIRED$|PROTOCOL_MISMATCH$|CLIENT_VERSION_MISMATCH$)/;

/** Runs the node until `signal` aborts or the gateway refuses it for good. */
export async function runNodeHost(opts: NodeHostOptions): Promise<NodeHostExit> {
  const log = opts.logger;
  const executor = new Executor({ outputCapBytes: opts.outputCapBytes });
  const identity = await loadOrCreateDeviceIdentity(opts.stateDir);
  const instanceId = crypto.randomUUID();
  const emit = (state: NodeStateLine["state"], extra: Record<string, unknown> = {}) =>
    opts.onState?.({ state, ts: Date.now(), url: opts.url, ...extra });
  log.addSecret(opts.token);
  log.addSecret(opts.password);
  log.info("node identity", { nodeId: identity.deviceId, url: opts.url });

  let attempt = 0;
  let lastPairingRequestId: string | undefined;
  const onAbort = () => executor.killAll();
  opts.signal.addEventListener("abort", onAbort, { once: true });
  try {
    while (!opts.signal.aborted) {
      emit("connecting", { attempt });
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
              `device pairing required; an operator must run: clawgate devices approve ${
                decision.requestId ?? "<requestId>"
              }`,
              { requestId: decision.requestId, nodeId: identity.deviceId },
            );
          }
          emit("pairing-required", { requestId: decision.requestId, nodeId: identity.deviceId });
          delay = opts.pairingRetryMs ?? 5000;
        } else {
          delay = decision.quick ? 250 : reconnectDelayMs(attempt, {
            baseMs: opts.backoffBaseMs,
            capMs: opts.backoffCapMs,
            random: opts.random,
            retryAfterMs: decision.retryAfterMs,
          });
          attempt++;
          log.warn(`connect failed: ${decision.message}; retrying in ${delay}ms`);
          emit("disconnected", { reason: decision.message, retryInMs: delay });
        }
        await sleep(delay, opts.signal);
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
      if (Date.now() - upAt >= 30_000) attempt = 0;
      const delay = reconnectDelayMs(attempt, {
        baseMs: opts.backoffBaseMs,
        capMs: opts.backoffCapMs,
        random: opts.random,
      });
      attempt++;
      log.warn(`disconnected (${code}${reason ? ` ${reason}` : ""}); reconnecting in ${delay}ms`);
      emit("disconnected", { code, reason, retryInMs: delay });
      await sleep(delay, opts.signal);
    }
  } finally {
    opts.signal.removeEventListener("abort", onAbort);
    executor.killAll();
  }
  emit("stopped");
  log.info("stopped");
  return { exitCode: 0, reason: "stopped" };
}

type ConnectDecision =
  | { kind: "fatal"; message: string; detailCode?: string }
  | { kind: "pairing"; requestId?: string }
  | { kind: "retry"; message: string; retryAfterMs?: number; quick?: boolean };

async function classifyConnectError(err: unknown, opts: NodeHostOptions): Promise<ConnectDecision> {
  if (err instanceof RpcError) {
    const detail = err.detailCode ?? "";
    if (detail === ConnectErrorCodes.PAIRING_REQUIRED) {
      const requestId = typeof err.details?.requestId === "string"
        ? err.details.requestId
        : undefined;
      return { kind: "pairing", requestId };
    }
    if (detail === ConnectErrorCodes.AUTH_RATE_LIMITED) {
      return { kind: "retry", message: err.message, retryAfterMs: err.retryAfterMs };
    }
    if (detail === ConnectErrorCodes.AUTH_DEVICE_TOKEN_MISMATCH) {
      // The stored device token is stale (device removed or token rotated): forget it, and
      // retry at once when a shared secret can take its place.
      await clearDeviceToken(opts.stateDir, opts.url, "node").catch(() => false);
      if (opts.token || opts.password) {
        return { kind: "retry", message: err.message, quick: true };
      }
    }
    if (FATAL_DETAIL.test(detail) || (!detail && err.code === "INVALID_REQUEST")) {
      return { kind: "fatal", message: err.message, detailCode: detail || err.code };
    }
    return {
      kind: "retry",
      message: `${err.code}: ${err.message}`,
      retryAfterMs: err.retryAfterMs,
    };
  }
  if (err instanceof TransportError) {
    if (err.kind === "tls") return { kind: "fatal", message: err.message, detailCode: "TLS" };
    return { kind: "retry", message: err.message };
  }
  return { kind: "retry", message: err instanceof Error ? err.message : String(err) };
}

/** One connected session: invoke handling, tick watchdog, stats. */
class NodeSession {
  readonly client: GatewayClient;
  readonly #opts: NodeHostOptions;
  readonly #identity: DeviceIdentity;
  readonly #executor: Executor;
  #timers: ReturnType<typeof setInterval>[] = [];
  #stopped = false;
  onSurface?: (
    state: "pending-approval" | "approved" | "rejected",
    extra: Record<string, unknown>,
  ) => void;

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
  }

  static async open(
    opts: NodeHostOptions,
    identity: DeviceIdentity,
    instanceId: string,
    executor: Executor,
  ): Promise<NodeSession> {
    const stored = opts.token || opts.password
      ? null
      : await getDeviceToken(opts.stateDir, opts.url, "node").catch(() => null);
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
      await setDeviceToken(opts.stateDir, opts.url, "node", {
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
    const tick = Math.max(this.client.hello.policy.tickIntervalMs, 1000);
    this.#timers.push(setInterval(() => {
      if (Date.now() - this.client.lastActivityMs > 2 * tick) {
        this.#opts.logger.warn("tick timeout: no frames from the gateway; reconnecting", {
          silentMs: Date.now() - this.client.lastActivityMs,
        });
        this.client.close(4000, "tick timeout");
      }
    }, tick));
    const statsEvery = this.#opts.statsIntervalMs ?? 60_000;
    void this.#publishInitial();
    if (statsEvery > 0) {
      this.#timers.push(setInterval(() => void this.#sendStats().catch(() => {}), statsEvery));
    }
  }

  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers) clearInterval(t);
    this.#timers = [];
  }

  async #publishInitial(): Promise<void> {
    // node.host.stats first (retried once: right after silent pairing the real gateway answers
    // a retryable PAIRING_CHANGED), then the runner inventory, whose refusal tells us the
    // command surface still awaits operator approval.
    for (let i = 0; i < 3 && !this.#stopped; i++) {
      try {
        await this.#sendStats();
        break;
      } catch (err) {
        if (!(err instanceof RpcError) || !err.retryable) break;
        await sleep(250 * 2 ** i, this.#opts.signal);
      }
    }
    if (this.#stopped) return;
    try {
      const res = await this.client.request("node.runnerInventory.update", {
        protocolFeatures: ["node-worker-supervisor-v6"],
        workerHost: { enabled: false },
      }, { timeoutMs: 10_000 });
      this.#opts.logger.debug("node.runnerInventory.update", { res });
    } catch (err) {
      this.#opts.logger.debug("node.runnerInventory.update failed", { err: String(err) });
      if (err instanceof RpcError && /approval/i.test(err.message)) {
        this.onSurface?.("pending-approval", {});
      }
    }
  }

  #sendStats(): Promise<unknown> {
    const mem = (() => {
      try {
        return Deno.systemMemoryInfo();
      } catch {
        return undefined;
      }
    })();
    const load = (() => {
      try {
        return Deno.loadavg();
      } catch {
        return [0, 0, 0];
      }
    })();
    const payload = {
      cpuCount: navigator.hardwareConcurrency,
      loadAverage: load,
      memoryTotalBytes: mem?.total,
      memoryFreeBytes: mem?.available ?? mem?.free,
    };
    return this.client.request("node.event", {
      event: "node.host.stats",
      payloadJSON: JSON.stringify(payload),
    }, { timeoutMs: 10_000 });
  }

  #onEvent(frame: EventFrame): void {
    if (frame.event === "node.invoke.request") {
      const parsed = NodeInvokeRequestSchema.safeParse(frame.payload);
      if (!parsed.success) return; // OpenClaw ignores frames missing id, nodeId or command
      void this.#handleInvoke(parsed.data);
      return;
    }
    if (frame.event === "node.pair.resolved") {
      const parsed = NodePairResolvedSchema.safeParse(frame.payload);
      if (!parsed.success) return;
      const { decision, requestId } = parsed.data;
      this.onSurface?.(decision === "approved" ? "approved" : "rejected", {
        requestId,
        decision,
      });
      return;
    }
    if (frame.event === "node.pair.requested") {
      const p = frame.payload as { nodeId?: string; requestId?: string } | undefined;
      if (p?.nodeId === this.#identity.deviceId) {
        this.onSurface?.("pending-approval", { requestId: p.requestId });
      }
    }
  }

  async #handleInvoke(req: NodeInvokeRequest): Promise<void> {
    const log = this.#opts.logger;
    const started = performance.now();
    let result: { ok: true; payload: unknown } | { ok: false; code: string; message: string };
    try {
      result = await this.#dispatch(req);
    } catch (err) {
      result = { ok: false, code: "UNAVAILABLE", message: (err as Error).message };
    }
    const params: Record<string, unknown> = { id: req.id, nodeId: req.nodeId, ok: result.ok };
    if (result.ok) params.payloadJSON = JSON.stringify(result.payload);
    else params.error = { code: result.code, message: result.message };
    log.info("invoke", {
      command: req.command,
      ok: result.ok,
      ms: Math.round(performance.now() - started),
      ...(result.ok ? {} : { error: `${result.code}: ${result.message}` }),
    });
    try {
      await this.client.request("node.invoke.result", params, { timeoutMs: 15_000 });
    } catch (err) {
      log.warn(`cannot send node.invoke.result: ${(err as Error).message}`, { id: req.id });
    }
  }

  async #dispatch(
    req: NodeInvokeRequest,
  ): Promise<{ ok: true; payload: unknown } | { ok: false; code: string; message: string }> {
    if (!(NODE_COMMANDS as readonly string[]).includes(req.command)) {
      return { ok: false, code: "UNAVAILABLE", message: "command not supported" };
    }
    let params: unknown = req.params;
    if (params === undefined) {
      if (typeof req.paramsJSON !== "string" || req.paramsJSON === "") {
        return { ok: false, code: "INVALID_REQUEST", message: "paramsJSON required" };
      }
      try {
        params = JSON.parse(req.paramsJSON);
      } catch {
        return { ok: false, code: "INVALID_REQUEST", message: "malformed JSON" };
      }
    }
    if (req.command === "system.which") {
      const p = SystemWhichParamsSchema.safeParse(params);
      if (!p.success) return { ok: false, code: "INVALID_REQUEST", message: "bins required" };
      return { ok: true, payload: await systemWhich(p.data.bins) };
    }
    const p = SystemRunParamsSchema.safeParse(params);
    if (!p.success) return { ok: false, code: "INVALID_REQUEST", message: "command required" };
    const run = p.data;
    const resolved = this.#opts.policy.mode === "allowlist"
      ? await whichBin(run.command[0], run.env?.PATH)
      : null;
    const refusal = checkExecPolicy(this.#opts.policy, run.command, resolved);
    if (refusal) return { ok: false, ...refusal };
    const result = await this.#executor.run({
      command: run.command,
      cwd: run.cwd,
      env: run.env,
      timeoutMs: run.timeoutMs ?? req.timeoutMs,
    });
    // Like OpenClaw's node host, report the finished exec as a node event (best effort).
    const extra = run as Record<string, unknown>;
    void this.client.request("node.event", {
      event: "exec.finished",
      payloadJSON: JSON.stringify({
        sessionKey: typeof extra.sessionKey === "string" ? extra.sessionKey : "node",
        runId: typeof extra.runId === "string" ? extra.runId : req.id,
        host: "node",
        command: run.rawCommand ?? run.command.join(" "),
        exitCode: result.exitCode,
        timedOut: result.timedOut,
        success: result.success,
        output: (result.stdout + result.stderr).trim().slice(0, 4000),
        suppressNotifyOnExit: false,
      }),
    }, { timeoutMs: 10_000 }).catch(() => {});
    return { ok: true, payload: result };
  }
}

/**
 * Builds the node's `connect` params with a v3 device proof signed over the challenge.
 *
 * @param auth What to send in `auth`; the signed token is `auth.token ?? auth.deviceToken`.
 */
export async function buildNodeConnect(
  opts: Pick<NodeHostOptions, "displayName">,
  identity: DeviceIdentity,
  instanceId: string,
  auth: NonNullable<ConnectParams["auth"]>,
  challenge: ConnectChallenge,
): Promise<ConnectParams> {
  const { platform, deviceFamily } = nodePlatform();
  const scopes: string[] = [];
  const payload = buildDeviceAuthPayloadV3({
    deviceId: identity.deviceId,
    clientId: "node-host",
    clientMode: "node",
    role: "node",
    scopes,
    signedAtMs: challenge.ts,
    token: signedTokenOf(auth),
    nonce: challenge.nonce,
    platform,
    deviceFamily,
  });
  const pathEnv = Deno.env.get("PATH");
  return {
    minProtocol: PROTOCOL_VERSION,
    maxProtocol: PROTOCOL_VERSION,
    client: {
      id: "node-host",
      displayName: opts.displayName,
      version: VERSION,
      platform,
      deviceFamily,
      mode: "node",
      instanceId,
    },
    caps: [...NODE_CAPS],
    commands: [...NODE_COMMANDS],
    ...(pathEnv ? { pathEnv } : {}),
    ...(Object.keys(auth).length ? { auth } : {}),
    role: "node",
    scopes,
    device: {
      id: identity.deviceId,
      publicKey: identity.publicKey,
      signature: await signPayload(identity, payload),
      signedAt: challenge.ts,
      nonce: challenge.nonce,
    },
  };
}

function nodePlatform(): { platform: string; deviceFamily: string } {
  switch (Deno.build.os) {
    case "darwin":
      return { platform: "macos", deviceFamily: "Mac" };
    case "windows":
      return { platform: "windows", deviceFamily: "Windows" };
    default:
      return { platform: "linux", deviceFamily: "Linux" };
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
