/**
 * Bench sessions for bench/scale.ts: raw WebSocket clients of one kind that finish the real
 * handshake (challenge → connect → hello-ok) and then count the event bytes they receive.
 * - `cli`: device-less `cli/cli` operators with `operator.read` (not in presence).
 * - `backend`: device-less `gateway-client/backend` operators with `operator.read`.
 * - `ui`: signed `openclaw-macos/ui` operator devices with `operator.read`: listed in presence
 *   AND receiving it, the worst case for presence fan-out.
 * - `node`: signed `node-host/node` nodes (listed in presence).
 * Signed kinds are paired silently (direct loopback + token, `autoApproveLocal`).
 * @module
 */
import { type DeviceIdentity, generateDeviceIdentity } from "../src/identity/device_identity.ts";
import type { ConnectParams } from "../src/protocol/mod.ts";
import { signedConnect } from "../tests/helpers/node_peer.ts";

/** The session kinds the bench opens. */
export const KINDS = ["cli", "backend", "ui", "node"] as const;
/** One of {@linkcode KINDS}. */
export type Kind = typeof KINDS[number];

/** What one session needs to connect. */
export interface SessionSpec {
  url: string;
  token: string;
  kind: Kind;
  /** The device of a signed kind (`ui`, `node`); a fresh one when absent. */
  identity?: DeviceIdentity;
  /** The handshake must finish within this many ms, else the socket is closed. */
  handshakeTimeoutMs: number;
  /** Every frame after hello-ok, as received. */
  onEvent?: (text: string) => void;
  /** The socket closed after hello-ok. */
  onClose?: () => void;
}

/**
 * Opens one session and resolves with its socket on `hello-ok`.
 *
 * @throws {Error} On refusal, a socket error or close before hello, or the handshake timeout.
 */
export function openSession(spec: SessionSpec): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(spec.url);
    let hello = false;
    const fail = (message: string) => {
      clearTimeout(timer);
      if (hello) return;
      try {
        ws.close();
      } catch { /* closed */ }
      reject(new Error(message));
    };
    const timer = setTimeout(() => fail("handshake timeout"), spec.handshakeTimeoutMs);
    ws.onerror = () => fail("socket error");
    ws.onclose = (e) => {
      if (hello) spec.onClose?.();
      else fail(`closed ${e.code} ${e.reason}`);
    };
    ws.onmessage = async (e) => {
      const text = e.data as string;
      if (hello) return spec.onEvent?.(text);
      const frame = JSON.parse(text);
      if (frame.type === "event" && frame.event === "connect.challenge") {
        try {
          ws.send(JSON.stringify({
            type: "req",
            id: "c",
            method: "connect",
            params: await connectParams(spec, frame.payload),
          }));
        } catch (err) {
          fail(`connect not sent: ${(err as Error).message}`);
        }
      } else if (frame.type === "res" && frame.id === "c") {
        if (!frame.ok) return fail(JSON.stringify(frame.error));
        clearTimeout(timer);
        hello = true;
        resolve(ws);
      }
    };
  });
}

async function connectParams(
  spec: SessionSpec,
  challenge: { nonce: string; ts: number },
): Promise<ConnectParams> {
  const base = { minProtocol: 4, maxProtocol: 4, role: "operator", auth: { token: spec.token } };
  const client = (id: string, mode: string) => ({ id, mode, version: "bench", platform: "linux" });
  if (spec.kind === "cli") {
    return { ...base, client: client("cli", "cli"), scopes: ["operator.read"] } as ConnectParams;
  }
  if (spec.kind === "backend") {
    const c = client("gateway-client", "backend");
    return { ...base, client: c, scopes: ["operator.read"] } as ConnectParams;
  }
  const identity = spec.identity ?? await generateDeviceIdentity();
  return await signedConnect(
    spec.kind === "node" ? { identity, token: spec.token } : {
      identity,
      token: spec.token,
      role: "operator",
      scopes: ["operator.read"],
      clientId: "openclaw-macos",
      clientMode: "ui",
    },
    challenge,
  );
}

/** True for a `presence` event frame (the gateways put `event` before the payload). */
export function isPresenceFrame(text: string): boolean {
  return text.slice(0, 64).includes('"event":"presence"');
}
