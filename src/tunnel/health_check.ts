/**
 * `tunnel --once`: a full `health` call through the forward when credentials are known.
 * @module
 */
import { PROTOCOL_VERSION } from "../protocol/mod.ts";
import { GatewayClient } from "../transport/gateway_client.ts";
import { VERSION } from "../version.ts";

/**
 * Connects as an operator CLI with `token` or `password`, calls `health`, closes.
 *
 * @param url `ws://127.0.0.1:<local port>`.
 * @param auth The gateway's token or password.
 * @param timeoutMs Handshake and request deadline, each, in milliseconds.
 * @returns The `health` payload.
 * @throws {TransportError} The socket failed or timed out.
 * @throws {RpcError} The gateway refused `connect` (e.g. wrong token) or `health`.
 */
export async function healthThroughTunnel(
  url: string,
  auth: { token?: string; password?: string },
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<unknown> {
  const client = await GatewayClient.open({
    url,
    handshakeTimeoutMs: timeoutMs,
    signal,
    buildConnect: () => ({
      minProtocol: PROTOCOL_VERSION,
      maxProtocol: PROTOCOL_VERSION,
      client: { id: "cli", version: VERSION, platform: Deno.build.os, mode: "cli" },
      role: "operator",
      auth: auth.token ? { token: auth.token } : { password: auth.password },
    }),
  });
  try {
    return await client.request("health", undefined, { timeoutMs });
  } finally {
    client.close(1000, "done");
  }
}
