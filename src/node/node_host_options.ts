/**
 * The option, state-line and exit types of the node host ({@linkcode runNodeHost} in
 * `client.ts`), shared by its session, publication and invoke modules.
 * @module
 */
import type { Logger } from "../platform/log.ts";
import type { ExecPolicy } from "./exec_policy.ts";

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
    | "tunnel"
    | "stopped";
  ts: number;
  url: string;
  [key: string]: unknown;
}

/** A layer on the way to the gateway: the ssh connection, ssh/the forward, the gateway. */
export type PathLayer = "link" | "tunnel" | "gateway";

/**
 * The path to the gateway when the node does not dial it directly (node over SSH:
 * src/node/ssh_path.ts). The node waits for it before each connect, so while the path is
 * down its own backoff does not grow: the tunnel's backoff paces the retries.
 */
export interface NodeTransport {
  /** Resolves once the path can carry a connection, or when `signal` aborts. */
  ready(signal: AbortSignal): Promise<void>;
  /** The layer that is down now, or undefined when the path is up. */
  downLayer(): PathLayer | undefined;
}

/** Options for `runNodeHost`. */
export interface NodeHostOptions {
  url: string;
  /** Set when the node reaches the gateway through a supervised ssh tunnel. */
  transport?: NodeTransport;
  /** Key of the stored device token. @default {url} (a tunnel's key names the ssh target) */
  deviceTokenKey?: string;
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

/** How `runNodeHost` ended. */
export interface NodeHostExit {
  /** 0 when stopped by the signal, 7 when the gateway refused for good. */
  exitCode: 0 | 7;
  reason: string;
  /** The refusal's `details.code`, when refused. */
  detailCode?: string;
}

/** The command-surface states a session reports. */
export type SurfaceState = "pending-approval" | "approved" | "rejected";
