/**
 * Test helper: raw signed connects and a tiny echo node built on
 * GatewayClient, for gateway-side integration tests of device pairing and `node.invoke`.
 * The echo node declares `echo` (answers its params), `fail` (answers `ok:false`) and `hang`
 * (never answers).
 * @module
 */
import { type ConnectChallenge, type ConnectParams, RpcError } from "../../src/protocol/mod.ts";
import { type DeviceIdentity, signPayload } from "../../src/identity/device_identity.ts";
import { buildDeviceAuthPayloadV3, signedTokenOf } from "../../src/identity/signature_payload.ts";
import { GatewayClient } from "../../src/transport/gateway_client.ts";

/** Options for {@linkcode connectDevice}. */
export interface DeviceConnectOptions {
  identity: DeviceIdentity;
  role?: "operator" | "node";
  token?: string;
  deviceToken?: string;
  scopes?: string[];
  commands?: string[];
  caps?: string[];
  clientId?: ConnectParams["client"]["id"];
  clientMode?: ConnectParams["client"]["mode"];
  /** Tamper with the proof before sending (tests of DEVICE_AUTH_* errors). */
  tamper?: (device: NonNullable<ConnectParams["device"]>, challenge: ConnectChallenge) => void;
  onEvent?: (event: string, payload: unknown) => void;
}

/** Builds signed `connect` params for a challenge. */
export async function signedConnect(
  o: DeviceConnectOptions,
  challenge: ConnectChallenge,
): Promise<ConnectParams> {
  const role = o.role ?? "node";
  const client = {
    id: o.clientId ?? (role === "node" ? "node-host" : "cli"),
    mode: o.clientMode ?? (role === "node" ? "node" : "cli"),
    version: "test",
    platform: "linux",
    deviceFamily: "Linux",
    displayName: "test-node",
  } as ConnectParams["client"];
  const scopes = o.scopes ?? [];
  const auth = {
    ...(o.token ? { token: o.token } : {}),
    ...(o.deviceToken ? { deviceToken: o.deviceToken } : {}),
  };
  const payload = buildDeviceAuthPayloadV3({
    deviceId: o.identity.deviceId,
    clientId: client.id,
    clientMode: client.mode,
    role,
    scopes,
    signedAtMs: challenge.ts,
    token: signedTokenOf(auth),
    nonce: challenge.nonce,
    platform: client.platform,
    deviceFamily: client.deviceFamily,
  });
  const device = {
    id: o.identity.deviceId,
    publicKey: o.identity.publicKey,
    signature: await signPayload(o.identity, payload),
    signedAt: challenge.ts,
    nonce: challenge.nonce,
  };
  o.tamper?.(device, challenge);
  return {
    minProtocol: 4,
    maxProtocol: 4,
    client,
    role,
    scopes,
    caps: o.caps ?? [],
    ...(role === "node" ? { commands: o.commands ?? [] } : {}),
    auth,
    device,
  } as ConnectParams;
}

/** Opens a signed connection. @throws {RpcError} When the gateway refuses it. */
export function connectDevice(url: string, o: DeviceConnectOptions): Promise<GatewayClient> {
  return GatewayClient.open({
    url,
    handshakeTimeoutMs: 5_000,
    buildConnect: (ch) => signedConnect(o, ch),
    onEvent: (f) => o.onEvent?.(f.event, f.payload),
  });
}

/**
 * A device-less operator on loopback (keeps its scopes): `cli/cli` by default, or a
 * long-lived `gateway-client/backend` one (listed in presence) with `backend: true`.
 */
export async function connectOperator(
  url: string,
  token: string,
  scopes: string[] = ["operator.admin"],
  options: { backend?: boolean; handshakeTimeoutMs?: number } = {},
): Promise<{
  client: GatewayClient;
  events: { event: string; payload: unknown }[];
  closed: () => boolean;
}> {
  const events: { event: string; payload: unknown }[] = [];
  let closed = false;
  const client = await GatewayClient.open({
    url,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 5_000,
    buildConnect: () => ({
      minProtocol: 4,
      maxProtocol: 4,
      client: options.backend
        ? { id: "gateway-client", mode: "backend", version: "test", platform: "linux" }
        : { id: "cli", mode: "cli", version: "test", platform: "linux" },
      role: "operator",
      scopes,
      auth: { token },
    } as ConnectParams),
    onEvent: (f) => events.push({ event: f.event, payload: f.payload }),
    onClose: () => (closed = true),
  });
  return { client, events, closed: () => closed };
}

/** A received `node.invoke.request`. */
export interface InvokeRequest {
  id: string;
  nodeId: string;
  command: string;
  paramsJSON: string | null;
  timeoutMs?: number;
  idempotencyKey?: string;
}

/** A connected echo node. */
export interface EchoNode {
  client: GatewayClient;
  requests: InvokeRequest[];
  /** Resolves with the payload of the next event of this name (or one already seen). */
  nextEvent(name: string, timeoutMs?: number): Promise<unknown>;
  /** Resolves once a request for `command` arrived. */
  nextRequest(command: string, timeoutMs?: number): Promise<InvokeRequest>;
}

/** Connects an echo node. @throws {RpcError} When the gateway refuses it. */
export async function startEchoNode(
  url: string,
  o: Omit<DeviceConnectOptions, "role" | "onEvent">,
): Promise<EchoNode> {
  const requests: InvokeRequest[] = [];
  const seen: { event: string; payload: unknown }[] = [];
  const waiters: Array<() => void> = [];
  const ref: { client?: GatewayClient } = {};
  const onEvent = (event: string, payload: unknown) => {
    seen.push({ event, payload });
    if (event === "node.invoke.request") {
      const r = payload as InvokeRequest;
      requests.push(r);
      if (r.command === "echo") {
        void ref.client?.request("node.invoke.result", {
          id: r.id,
          nodeId: r.nodeId,
          ok: true,
          payloadJSON: r.paramsJSON,
        }).catch(() => {});
      } else if (r.command === "fail") {
        void ref.client?.request("node.invoke.result", {
          id: r.id,
          nodeId: r.nodeId,
          ok: false,
          error: { code: "UNAVAILABLE", message: "command not supported" },
        }).catch(() => {});
      }
    }
    for (const w of waiters.splice(0)) w();
  };
  const client = ref.client = await connectDevice(url, {
    commands: ["echo", "fail", "hang"],
    caps: ["test"],
    ...o,
    role: "node",
    onEvent,
  });
  const waitFor = <T>(pick: () => T | undefined, what: string, timeoutMs: number): Promise<T> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      const check = () => {
        const v = pick();
        if (v !== undefined) {
          clearTimeout(timer);
          resolve(v);
        } else waiters.push(check);
      };
      check();
    });
  return {
    client,
    requests,
    nextEvent: (name, timeoutMs = 5_000) =>
      waitFor(() => seen.find((e) => e.event === name)?.payload, name, timeoutMs),
    nextRequest: (command, timeoutMs = 5_000) =>
      waitFor(
        () => requests.find((r) => r.command === command && !r.idempotencyKey?.startsWith("done:")),
        command,
        timeoutMs,
      ),
  };
}

/** Awaits a promise that must reject with an RpcError and returns it. */
export async function rpcError(p: Promise<unknown>): Promise<RpcError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RpcError) return err;
    throw err;
  }
  throw new Error("expected an RpcError");
}
