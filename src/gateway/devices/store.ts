/**
 * The pairing store: approved and pending devices (`devices.json`) and node command surfaces
 * (`nodes.json`) under `<stateDir>/pairing/`, written atomically with mode 0600 so pairings
 * survive gateway restarts.
 *
 * Record shapes follow what the real gateway answers to `device.pair.list` / `node.pair.list`
 * (`src/infra/device-pairing*.ts`, openclaw@2026.9.6; protocol.md §3.4–3.5). Device tokens
 * are stored here but never returned by the list methods.
 * @module
 */
import { writeFileAtomic } from "../../platform/atomic_write.ts";
import { KeyIndex } from "./key_index.ts";

/** A lazy save ({@linkcode PairingStore.saveSoon}) lands within this many ms. */
const LAZY_SAVE_MS = 1_000;

/** A device token issued for one role. */
export interface DeviceTokenEntry {
  role: string;
  scopes: string[];
  token: string;
  createdAtMs: number;
}

/** Metadata a device presented on connect. */
export interface DeviceMeta {
  deviceId: string;
  publicKey: string;
  displayName?: string;
  platform?: string;
  deviceFamily?: string;
  clientId?: string;
  clientMode?: string;
  remoteIp?: string;
}

/** A pending device pairing request. */
export interface DevicePairRequest extends DeviceMeta {
  requestId: string;
  role: string;
  roles: string[];
  scopes: string[];
  silent: boolean;
  isRepair: boolean;
  ts: number;
}

/** An approved device. */
export interface PairedDevice extends DeviceMeta {
  role: string;
  roles: string[];
  scopes: string[];
  approvedVia: "silent" | "owner";
  createdAtMs: number;
  approvedAtMs: number;
  lastSeenAtMs?: number;
  tokens: DeviceTokenEntry[];
}

/** The facts of a node's command surface. */
export interface NodeSurface {
  nodeId: string;
  clientId?: string;
  clientMode?: string;
  displayName?: string;
  platform?: string;
  version?: string;
  deviceFamily?: string;
  caps: string[];
  commands: string[];
}

/** A pending node command-surface request. */
export interface NodePairRequest extends NodeSurface {
  requestId: string;
  requiredApproveScopes: string[];
  silent: boolean;
  ts: number;
}

/** An approved node command surface. */
export interface PairedNode extends NodeSurface {
  createdAtMs: number;
  approvedAtMs: number;
  lastSeenAtMs?: number;
  /** Set by `node.rename`; wins over the name the node declares. */
  renamedTo?: string;
}

interface DevicesFile {
  version: 1;
  pending: DevicePairRequest[];
  paired: PairedDevice[];
}
interface NodesFile {
  version: 1;
  pending: NodePairRequest[];
  paired: PairedNode[];
}

/** Loads, mutates and persists the pairing state. Mutations are saved in order. */
export class PairingStore {
  readonly dir: string;
  devices: DevicesFile = { version: 1, pending: [], paired: [] };
  nodes: NodesFile = { version: 1, pending: [], paired: [] };
  #chain: Promise<void> = Promise.resolve();
  #queued: Promise<void> | undefined;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /**
   * Opens the store in `<stateDir>/pairing/`, reading existing files.
   *
   * @throws {SyntaxError} A pairing file exists but is not JSON.
   */
  static async open(stateDir: string): Promise<PairingStore> {
    const store = new PairingStore(`${stateDir}/pairing`);
    store.devices = await readJson(`${store.dir}/devices.json`, store.devices);
    store.nodes = await readJson(`${store.dir}/nodes.json`, store.nodes);
    store.devices.pending ??= [];
    store.devices.paired ??= [];
    store.nodes.pending ??= [];
    store.nodes.paired ??= [];
    return store;
  }

  /**
   * Persists both files (writes in order; resolves once a write that includes every mutation
   * made before the call landed). Calls while a write is waiting for its turn share it: the
   * state is serialised when the write starts, so a connect storm of N devices costs a few
   * writes, not N copies of an ever larger file.
   */
  save(): Promise<void> {
    clearTimeout(this.#lazy);
    this.#lazy = undefined;
    return this.#queued ??= this.#chain = this.#chain.catch(() => {}).then(async () => {
      this.#queued = undefined;
      const devices = JSON.stringify(this.devices, null, 2) + "\n";
      const nodes = JSON.stringify(this.nodes, null, 2) + "\n";
      await writeFileAtomic(`${this.dir}/devices.json`, devices, { mode: 0o600 });
      await writeFileAtomic(`${this.dir}/nodes.json`, nodes, { mode: 0o600 });
    });
  }

  /**
   * Persists within {@link LAZY_SAVE_MS}, for changes the next connect would make again if
   * they were lost (last-seen times, silent pairings): a connecting fleet shares one write
   * instead of each connect waiting for one.
   * {@linkcode PairingStore.save} and {@linkcode PairingStore.flush} take it along.
   */
  saveSoon(): void {
    this.#lazy ??= setTimeout(() => {
      this.#lazy = undefined;
      this.save().catch(() => {});
    }, LAZY_SAVE_MS);
  }

  /** Writes a pending lazy save now (on shutdown). */
  async flush(): Promise<void> {
    if (this.#lazy !== undefined) await this.save();
    else await this.#chain.catch(() => {});
  }

  device(deviceId: string): PairedDevice | undefined {
    return this.#devices.find(this.devices.paired, deviceId);
  }

  /** Position of a paired device in `devices.paired`, or -1. */
  devicePosition(deviceId: string): number {
    return this.#devices.position(this.devices.paired, deviceId);
  }

  pairedNode(nodeId: string): PairedNode | undefined {
    return this.#paired.find(this.nodes.paired, nodeId);
  }

  /** Position of an approved node surface in `nodes.paired`, or -1. */
  pairedNodePosition(nodeId: string): number {
    return this.#paired.position(this.nodes.paired, nodeId);
  }

  pendingNode(nodeId: string): NodePairRequest | undefined {
    return this.#pending.find(this.nodes.pending, nodeId);
  }

  /** Drops the pending surface request of a node, if any (without copying the list). */
  dropPendingNode(nodeId: string): void {
    const i = this.#pending.position(this.nodes.pending, nodeId);
    if (i < 0) return;
    this.nodes.pending.splice(i, 1);
    this.#pending.invalidate();
  }

  readonly #devices = new KeyIndex<PairedDevice>((d) => d.deviceId);
  readonly #paired = new KeyIndex<PairedNode>((n) => n.nodeId);
  readonly #pending = new KeyIndex<NodePairRequest>((n) => n.nodeId);
  #lazy: ReturnType<typeof setTimeout> | undefined;
}

async function readJson<T>(path: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as T;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return fallback;
    throw err;
  }
}

/** A new device token: 32 random bytes, base64url without padding (43 chars). */
export function newDeviceToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** A paired device as listed on the wire: token values are never returned. */
export function publicDevice(d: PairedDevice): Record<string, unknown> {
  const { tokens, ...rest } = d;
  return {
    ...rest,
    tokens: tokens.map((t) => ({ role: t.role, scopes: t.scopes, createdAtMs: t.createdAtMs })),
  };
}
