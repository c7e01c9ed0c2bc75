/**
 * `bench/scale.ts --kind node --restart`: N signed nodes are connected, the gateway is stopped
 * (SIGTERM) and started again on the same port and state dir, and every node reconnects paced
 * by the node host's own {@linkcode NodeReconnectBackoff} (the object `runNodeHost` uses).
 * An operator UI client (`openclaw-macos/ui`, which receives presence) reconnects as soon as
 * the gateway answers and counts the presence bytes it gets until the fleet is back.
 * @module
 */
import { type DeviceIdentity, generateDeviceIdentity } from "../src/identity/device_identity.ts";
import { NodeReconnectBackoff } from "../src/node/reconnect_backoff.ts";
import { isPresenceFrame, openSession } from "./scale_session.ts";
import { sleep } from "./scale_probe.ts";

/** Handshake bound of one reconnect attempt, in ms (the node host's client uses 15 s). */
const HANDSHAKE_TIMEOUT_MS = 15_000;

/** One bench node that reconnects like the node host. */
export class RestartNode {
  readonly identity: DeviceIdentity;
  readonly backoff = new NodeReconnectBackoff();
  #url: string;
  #token: string;
  #upAt = 0;
  #stopped = false;
  #socket?: WebSocket;
  /** When the node was connected again after {@linkcode RestartNode.arm}, in performance ms. */
  backAt?: number;
  armed = false;
  attempts = 0;
  failures = 0;

  constructor(url: string, token: string, identity: DeviceIdentity) {
    this.#url = url;
    this.#token = token;
    this.identity = identity;
  }

  /** Connects once. @throws {Error} When the gateway refuses or does not answer. */
  async connect(): Promise<void> {
    this.attempts++;
    this.#socket = await openSession({
      url: this.#url,
      token: this.#token,
      kind: "node",
      identity: this.identity,
      handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
      onClose: () => this.#closed(),
    });
    this.#upAt = performance.now();
    if (this.armed) this.backAt ??= this.#upAt;
  }

  /** Closes the socket for good. */
  stop(): void {
    this.#stopped = true;
    this.#socket?.close();
  }

  #closed(): void {
    if (this.#stopped) return;
    this.#retryIn(this.backoff.afterClose(performance.now() - this.#upAt));
  }

  #retryIn(delayMs: number): void {
    setTimeout(() => {
      if (this.#stopped) return;
      this.connect().catch(() => {
        this.failures++;
        this.#retryIn(this.backoff.afterFailure());
      });
    }, delayMs);
  }
}

/** Figures of one restart storm. */
export interface RestartReport {
  /** SIGTERM → old gateway exited, in ms. */
  stopMs: number;
  /** SIGTERM → new gateway answers `/readyz`, in ms. */
  readyMs: number;
  /** Nodes connected again before the deadline. */
  back: number;
  /** SIGTERM → last node back, in ms (absent when not all came back). */
  allBackMs?: number;
  /** SIGTERM → node back, percentiles, in ms. */
  p50Ms: number;
  p99Ms: number;
  /** Connect attempts after the restart that failed (refused, 503, handshake timeout). */
  failedAttempts: number;
  /** Presence frames and bytes the UI client received after its reconnect. */
  presenceFrames: number;
  presenceBytes: number;
  /** The largest single presence frame, in bytes (one full list). */
  presenceMaxFrameBytes: number;
}

/**
 * Runs the storm against already connected `nodes`.
 *
 * @param o.restart Stops the gateway (resolves once it exited) and starts it again on the same
 *   port and state dir (resolves once it is ready); reports both instants.
 * @param o.deadlineMs Bound for the whole storm, from SIGTERM.
 */
export async function restartStorm(o: {
  url: string;
  token: string;
  nodes: RestartNode[];
  deadlineMs: number;
  restart: (onStopped: () => void) => Promise<void>;
}): Promise<RestartReport> {
  const ui = await generateDeviceIdentity();
  const presence = { frames: 0, bytes: 0, max: 0 };
  const onEvent = (text: string) => {
    if (!isPresenceFrame(text)) return;
    presence.frames++;
    presence.bytes += text.length;
    presence.max = Math.max(presence.max, text.length);
  };
  const openUi = () =>
    openSession({
      url: o.url,
      token: o.token,
      kind: "ui",
      identity: ui,
      handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
      onEvent,
    });
  let uiSocket = await openUi(); // pairs the UI device before the storm
  await sleep(2_000);
  for (const node of o.nodes) {
    node.armed = true;
    node.attempts = node.failures = 0;
  }
  const t0 = performance.now();
  let stopMs = 0;
  await o.restart(() => (stopMs = Math.round(performance.now() - t0)));
  const readyMs = Math.round(performance.now() - t0);
  const deadline = t0 + o.deadlineMs;
  presence.frames = presence.bytes = presence.max = 0;
  while (performance.now() < deadline) {
    try {
      uiSocket = await openUi();
      break;
    } catch {
      await sleep(100);
    }
  }
  const backCount = () => o.nodes.filter((n) => n.backAt !== undefined).length;
  while (backCount() < o.nodes.length && performance.now() < deadline) await sleep(50);
  // Let the last coalesced presence window (up to 2 s at 1,000 listed sessions) arrive.
  await sleep(Math.min(3_000, Math.max(0, deadline - performance.now())));
  uiSocket.close();
  const times = o.nodes.flatMap((n) => n.backAt === undefined ? [] : [n.backAt - t0])
    .sort((a, b) => a - b);
  const pct = (p: number) =>
    times.length ? Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))]) : 0;
  return {
    stopMs,
    readyMs,
    back: times.length,
    allBackMs: times.length === o.nodes.length ? Math.round(times.at(-1) ?? 0) : undefined,
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
    failedAttempts: o.nodes.reduce((sum, n) => sum + n.failures, 0),
    presenceFrames: presence.frames,
    presenceBytes: presence.bytes,
    presenceMaxFrameBytes: presence.max,
  };
}
