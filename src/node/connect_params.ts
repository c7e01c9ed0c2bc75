/**
 * The node's `connect` params: role `node`, `client.id` `node-host`, the declared caps and
 * commands, and a v3 device proof signed over the challenge (protocol.md §3, §6).
 * @module
 */
import { type ConnectChallenge, type ConnectParams, PROTOCOL_VERSION } from "../protocol/mod.ts";
import type { DeviceIdentity } from "../identity/device_identity.ts";
import { signDeviceProof } from "../identity/device_proof.ts";
import { clientPlatform } from "../platform/client_platform.ts";
import { VERSION } from "../version.ts";

/** Commands this node declares and answers. */
export const NODE_COMMANDS = ["system.run", "system.which"] as const;
/** Capabilities this node declares. */
export const NODE_CAPS = ["system"] as const;

/**
 * Builds the node's `connect` params with a v3 device proof signed over the challenge.
 *
 * @param auth What to send in `auth`; the signed token is `auth.token ?? auth.deviceToken`.
 */
export async function buildNodeConnect(
  opts: { displayName: string },
  identity: DeviceIdentity,
  instanceId: string,
  auth: NonNullable<ConnectParams["auth"]>,
  challenge: ConnectChallenge,
): Promise<ConnectParams> {
  const { platform, deviceFamily } = clientPlatform();
  const scopes: string[] = [];
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
    device: await signDeviceProof(identity, challenge, {
      clientId: "node-host",
      clientMode: "node",
      role: "node",
      scopes,
      auth,
      platform,
      deviceFamily,
    }),
  };
}
