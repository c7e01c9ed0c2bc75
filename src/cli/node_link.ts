/**
 * The node's link record, `<stateDir>/node-link.json` (0600, written atomically): which gateway
 * `clawgate node connect` talks to and how that goes (state, since, url, how the url was found,
 * the ssh target when a tunnel carries it). `status` on a node-only machine reads it to show the
 * gateway the node is connected to (OpenClaw's status said "local unreachable" there: #17271).
 * @module
 */
import { join } from "node:path";
import { writeJsonAtomic } from "../platform/atomic_write.ts";
import { pidAlive } from "../tunnel/ledger.ts";

/** What a running node records about its gateway link. */
export interface NodeLinkRecord {
  /** The `clawgate node connect` process. */
  pid: number;
  /** The gateway URL the node dials (a tunnel's local end for ssh). */
  url: string;
  /** Where the URL came from, e.g. `ssh tunnel to me@host, remote port 18789 (--ssh)`. */
  urlSource?: string;
  /** The last node state: `connecting`, `connected`, `pending-approval`, `disconnected`, … */
  state: string;
  /** Whether the node's socket to the gateway is up (surface approval states included). */
  connected: boolean;
  /** Epoch ms of the last state change. */
  sinceMs: number;
  /** Epoch ms the node last connected. */
  connectedAtMs?: number;
  /** Last disconnect or refusal reason. */
  reason?: string;
}

/** A record plus whether its node still runs. */
export interface NodeLinkView extends NodeLinkRecord {
  alive: boolean;
}

const SURFACE_STATES = new Set(["pending-approval", "approved", "rejected"]);

function linkPath(stateDir: string): string {
  return join(stateDir, "node-link.json");
}

/** A node state line (`NodeStateLine` of src/node/node_host_options.ts). */
type StateLine = { state: string; ts: number; url: string; [k: string]: unknown };

/**
 * Wraps a node's `onState` sink so every state change also updates the record (best effort: a
 * failed write never disturbs the node).
 *
 * @param stateDir The node's state dir.
 * @param urlSource Where the URL came from, shown by `status`.
 * @param next The sink to call as well (the `--json` NDJSON writer), if any.
 */
export function withNodeLinkRecord<L extends StateLine>(
  stateDir: string,
  urlSource: string | undefined,
  next?: (line: L) => void,
): (line: L) => void {
  let connectedAtMs: number | undefined;
  let connected = false;
  let writing = Promise.resolve();
  return (line) => {
    next?.(line);
    if (line.state === "connected") connectedAtMs = line.ts;
    // pending-approval / approved / rejected are about the command surface, on a live socket.
    if (!SURFACE_STATES.has(line.state)) connected = line.state === "connected";
    const reason = typeof line.reason === "string"
      ? line.reason
      : typeof line.message === "string"
      ? line.message
      : undefined;
    const record: NodeLinkRecord = {
      pid: Deno.pid,
      url: line.url,
      urlSource,
      state: line.state,
      connected,
      sinceMs: line.ts,
      connectedAtMs,
      ...(reason ? { reason } : {}),
    };
    // One write at a time, in order: the last state change is the one left on disk.
    writing = writing.then(() => writeJsonAtomic(linkPath(stateDir), record)).then(
      () => {},
      () => {},
    );
  };
}

/** Reads the record; undefined when no node ever ran with this state dir. */
export async function readNodeLink(stateDir: string): Promise<NodeLinkView | undefined> {
  try {
    const r = JSON.parse(await Deno.readTextFile(linkPath(stateDir))) as NodeLinkRecord;
    if (typeof r?.pid !== "number" || typeof r.url !== "string") return undefined;
    return { ...r, alive: r.state !== "stopped" && await pidAlive(r.pid) };
  } catch {
    return undefined;
  }
}
