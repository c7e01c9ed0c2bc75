/**
 * Operator connections for CLI commands: resolve the target, handshake as `cli/cli` with the
 * least scopes the command needs, run the RPCs, close.
 * @module
 */
import { type ConnectParams, PROTOCOL_VERSION } from "../protocol/mod.ts";
import { GatewayClient } from "../transport/gateway_client.ts";
import { VERSION } from "../version.ts";
import { type CallFlags, type CallTarget, resolveCallTarget } from "./call_target.ts";
import type { CliContext } from "./context.ts";
import { CliError, ExitCode } from "./exit_code.ts";

/** OS → `client.platform` / `client.deviceFamily` (`src/gateway/client.ts` upstream). */
export function clientPlatform(): { platform: string; deviceFamily: string } {
  switch (Deno.build.os) {
    case "darwin":
      return { platform: "macos", deviceFamily: "Mac" };
    case "windows":
      return { platform: "windows", deviceFamily: "Windows" };
    default:
      return { platform: "linux", deviceFamily: "Linux" };
  }
}

/** Builds device-less operator `connect` params with a shared secret. */
export function operatorConnectParams(target: CallTarget, scopes: string[]): ConnectParams {
  const auth: ConnectParams["auth"] = {};
  if (target.token) auth.token = target.token;
  if (target.password) auth.password = target.password;
  return {
    minProtocol: PROTOCOL_VERSION,
    maxProtocol: PROTOCOL_VERSION,
    client: {
      id: "cli",
      version: VERSION,
      ...clientPlatform(),
      mode: "cli",
      instanceId: crypto.randomUUID(),
    },
    caps: [],
    ...(target.token || target.password ? { auth } : {}),
    role: "operator",
    scopes,
  };
}

/** Flags accepted by operator commands. */
export interface OperatorFlags extends CallFlags {
  /** Per-RPC deadline in milliseconds (string from commander). */
  timeout?: string | number;
}

/** Parses `--timeout` (ms). @throws {CliError} exit 2 on a non-positive number. */
export function parseTimeoutMs(value: string | number | undefined, fallbackMs: number): number {
  if (value === undefined) return fallbackMs;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new CliError("usage", `Invalid --timeout "${value}": expected milliseconds > 0`, {
      exitCode: ExitCode.USAGE,
    });
  }
  return n;
}

/**
 * Opens an operator session, runs `fn`, and always closes.
 *
 * @param scopes Scopes to request (least privilege per command).
 * @throws {CliError} Resolution errors; connection errors propagate as TransportError/RpcError.
 */
export async function withOperatorSession<T>(
  ctx: CliContext,
  flags: OperatorFlags,
  scopes: string[],
  fn: (client: GatewayClient, target: CallTarget, timeoutMs: number) => Promise<T>,
): Promise<T> {
  const loaded = await ctx.config();
  const target = await resolveCallTarget(flags, ctx.env, loaded);
  const timeoutMs = parseTimeoutMs(flags.timeout, 10_000);
  ctx.logger.debug("connecting", {
    url: target.url,
    source: target.urlSource,
    auth: target.authSource,
  });
  const client = await GatewayClient.open({
    url: target.url,
    tlsFingerprint: target.tlsFingerprint,
    handshakeTimeoutMs: timeoutMs,
    signal: ctx.signal,
    buildConnect: () => operatorConnectParams(target, scopes),
  });
  try {
    return await fn(client, target, timeoutMs);
  } finally {
    client.close(1000);
  }
}
