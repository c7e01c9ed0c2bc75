/**
 * Operator connections for CLI commands: resolve the target, handshake as `cli/cli` with the
 * least scopes the command needs, run the RPCs, close.
 * @module
 */
import type { ConnectAuth, ConnectChallenge, ConnectParams } from "../protocol/connect.ts";
import { PROTOCOL_VERSION } from "../protocol/version.ts";
import { isLoopbackHost } from "../gateway/bind.ts";
import type { DeviceIdentity } from "../identity/device_identity.ts";
import { clientPlatform } from "../platform/client_platform.ts";
import { GatewayClient } from "../transport/gateway_client.ts";
import { VERSION } from "../version.ts";
import { type CallFlags, type CallTarget, resolveCallTarget } from "./call_target.ts";
import { withGatewayRoute } from "./gateway_route.ts";
import type { CliContext } from "./context.ts";
import { CliError, ExitCode } from "./exit_code.ts";

/**
 * Builds operator `connect` params: `cli/cli`, the shared secret (or a stored device token), and,
 * when an identity is given, a v3 device proof signed over the challenge.
 *
 * @param device Identity, challenge and an optional stored device token; omit for device-less.
 */
export async function operatorConnectParams(
  target: CallTarget,
  scopes: string[],
  device?: { identity: DeviceIdentity; challenge: ConnectChallenge; deviceToken?: string },
): Promise<ConnectParams> {
  const auth: ConnectAuth = {};
  if (target.token) auth.token = target.token;
  if (target.password) auth.password = target.password;
  if (device?.deviceToken && !target.token && !target.password) {
    auth.deviceToken = device.deviceToken;
  }
  const platform = clientPlatform();
  const params: ConnectParams = {
    minProtocol: PROTOCOL_VERSION,
    maxProtocol: PROTOCOL_VERSION,
    client: {
      id: "cli",
      version: VERSION,
      ...platform,
      mode: "cli",
      instanceId: crypto.randomUUID(),
    },
    caps: [],
    ...(Object.keys(auth).length ? { auth } : {}),
    role: "operator",
    scopes,
  };
  if (device) {
    const { signDeviceProof } = await import("../identity/device_proof.ts");
    params.device = await signDeviceProof(device.identity, device.challenge, {
      clientId: "cli",
      clientMode: "cli",
      role: "operator",
      scopes,
      auth,
      ...platform,
    });
  }
  return params;
}

/**
 * Whether an operator connection signs with this machine's device identity: only for
 * non-loopback gateways, where a device-less operator would lose its scopes (protocol.md §2.3
 * step 6). On loopback the shared secret suffices, as with OpenClaw's CLI.
 */
export function wantsDeviceIdentity(url: string): boolean {
  try {
    return !isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** Flags accepted by operator commands. */
export interface OperatorFlags extends CallFlags {
  /** Per-RPC deadline in milliseconds (a string as typed, or a number). */
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
  const resolved = await resolveCallTarget(
    { ...flags, remote: flags.remote ?? ctx.globals.remote },
    ctx.env,
    loaded,
  );
  const timeoutMs = parseTimeoutMs(flags.timeout, 10_000);
  return await withGatewayRoute(
    ctx,
    resolved,
    (target) => runSession(ctx, loaded.stateDir, target, scopes, timeoutMs, fn),
  );
}

async function runSession<T>(
  ctx: CliContext,
  stateDir: string,
  target: CallTarget,
  scopes: string[],
  timeoutMs: number,
  fn: (client: GatewayClient, target: CallTarget, timeoutMs: number) => Promise<T>,
): Promise<T> {
  ctx.logger.debug("connecting", {
    url: target.url,
    source: target.urlSource,
    auth: target.authSource,
  });
  // The device identity code loads only for non-loopback gateways, which need it.
  const store = wantsDeviceIdentity(target.url)
    ? await import("../identity/identity_store.ts")
    : undefined;
  const identity = await store?.loadOrCreateDeviceIdentity(stateDir);
  const stored = identity ? await store!.getDeviceToken(stateDir, target.url, "operator") : null;
  const client = await GatewayClient.open({
    url: target.url,
    tlsFingerprint: target.tlsFingerprint,
    handshakeTimeoutMs: timeoutMs,
    signal: ctx.signal,
    buildConnect: (challenge) =>
      operatorConnectParams(
        target,
        scopes,
        identity ? { identity, challenge, deviceToken: stored?.token } : undefined,
      ),
  });
  const issued = client.hello.auth;
  if (identity && issued.deviceToken) {
    await store!.setDeviceToken(stateDir, target.url, "operator", {
      token: issued.deviceToken,
      scopes: issued.scopes,
      issuedAtMs: issued.issuedAtMs ?? Date.now(),
    });
  }
  try {
    return await fn(client, target, timeoutMs);
  } finally {
    client.close(1000);
  }
}
