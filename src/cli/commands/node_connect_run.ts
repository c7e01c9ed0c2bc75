/**
 * `node connect`: run this machine as a headless node of a gateway until stopped
 * (src/node/client.ts). State changes go to stderr as log lines; `--json` adds one NDJSON
 * state line per change on stdout. Over SSH (`--ssh`, `--remote`, `gateway.remote` with transport
 * `ssh`: ./node_ssh.ts) the node runs its own tunnel. Exit 0 on SIGINT/SIGTERM, 7 when the
 * gateway refuses the node for good (auth, device identity, protocol) or ssh refuses the key or
 * host key, 4 when the tunnel fails for good otherwise, 2 on bad flags. Loaded when `node
 * connect` runs (./node.ts declares it) and by the service code, which resolves the same target.
 * @module
 */
import { envSetting, resolveGatewayPort } from "../../config/load.ts";
import { readGeneratedToken } from "../../gateway/generated_token.ts";
import { parseExecPolicyMode } from "../../node/exec_policy.ts";
import { createLogger } from "../../platform/log.ts";
import type { Action } from "../spec.ts";
import { checkGatewayUrl } from "../call_target.ts";
import { pickCredentials } from "../credentials.ts";
import type { CliContext } from "../context.ts";
import { CliError, ExitCode } from "../exit_code.ts";
import type { TunnelResult } from "../../tunnel/supervisor.ts";
import { writeJsonLine } from "../render.ts";
import { withNodeLinkRecord } from "../node_link.ts";
import type { SshPath } from "../../node/ssh_path.ts";
import { tunnelFailure } from "../../tunnel/tunnel_error.ts";
import { type NodeSshFlags, nodeTunnelSetup, resolveNodeRemote } from "./node_ssh.ts";

/** `node connect` flags. */
export interface NodeConnectFlags extends NodeSshFlags {
  url?: string;
  host?: string;
  port?: string;
  tls?: boolean;
  tlsFingerprint?: string;
  token?: string;
  password?: string;
  displayName?: string;
  execPolicy?: string;
  allow?: string[];
}

/** Where the node connects and with which secret. */
export interface NodeTarget {
  url: string;
  urlSource: string;
  token?: string;
  password?: string;
  authSource: string;
  tlsFingerprint?: string;
}

/**
 * Resolves the node's gateway URL and credentials: URL from `--url`, `--host/--port`,
 * `CLAWGATE_GATEWAY_URL`, `gateway.remote.url` (remote mode), else loopback; secret from
 * flags > env > `gateway.auth.*` / `gateway.remote.*` > the generated local token (`--url`: the
 * flags only; ../credentials.ts); with none, the stored device token for that URL is used by the
 * node itself.
 */
export async function resolveNodeTarget(
  ctx: CliContext,
  flags: NodeConnectFlags,
): Promise<NodeTarget> {
  const loaded = await ctx.config();
  const gw = loaded.config.gateway ?? {};
  let url: string;
  let urlSource: string;
  let loopbackDefault = false;
  if (flags.url) {
    url = flags.url;
    urlSource = "cli --url";
  } else if (flags.host || flags.port) {
    const port = flags.port
      ? parsePort(flags.port)
      : resolveGatewayPort(undefined, ctx.env, loaded.config);
    const host = flags.host ?? "127.0.0.1";
    url = `${flags.tls ? "wss" : "ws"}://${host.includes(":") ? `[${host}]` : host}:${port}`;
    urlSource = "cli --host/--port";
  } else if (envSetting(ctx.env, "GATEWAY_URL")) {
    const e = envSetting(ctx.env, "GATEWAY_URL")!;
    url = e.value;
    urlSource = `env ${e.source}`;
  } else if (gw.mode === "remote" && gw.remote?.url) {
    url = gw.remote.url;
    urlSource = "config gateway.remote.url";
  } else {
    url = `${flags.tls ? "wss" : "ws"}://127.0.0.1:${
      resolveGatewayPort(undefined, ctx.env, loaded.config)
    }`;
    urlSource = "local loopback";
    loopbackDefault = true;
  }
  if (flags.tls && url.startsWith("ws://")) url = "wss://" + url.slice(5);
  checkGatewayUrl(url, urlSource);
  const tlsFingerprint = flags.tlsFingerprint ?? gw.remote?.tlsFingerprint;
  // Node order: flags > env > gateway.auth > gateway.remote (then generated / device token);
  // an explicit --url takes the flags only.
  const creds = pickCredentials({
    flags,
    env: ctx.env,
    explicitUrl: flags.url !== undefined,
    config: [
      { ...gw.auth, authSource: "config gateway.auth" },
      { ...gw.remote, authSource: "config gateway.remote" },
    ],
  });
  if (creds) return { url, urlSource, ...creds, tlsFingerprint };
  if (loopbackDefault) {
    const generated = await readGeneratedToken(loaded.stateDir).catch(() => null);
    if (generated) {
      return { url, urlSource, token: generated.token, authSource: generated.path, tlsFingerprint };
    }
  }
  return { url, urlSource, authSource: "stored device token (if any)", tlsFingerprint };
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new CliError("usage", `Invalid --port "${value}"`, { exitCode: ExitCode.USAGE });
  }
  return n;
}

async function runNodeConnect(ctx: CliContext, flags: NodeConnectFlags): Promise<number> {
  const mode = parseExecPolicyMode(flags.execPolicy);
  if (!mode) {
    throw new CliError("usage", `Invalid --exec-policy "${flags.execPolicy}"`, {
      exitCode: ExitCode.USAGE,
      hint: "Use full, allowlist or deny",
    });
  }
  if (mode === "allowlist" && !(flags.allow?.length)) {
    ctx.stderr("warning: --exec-policy allowlist without --allow refuses every system.run\n");
  }
  const loaded = await ctx.config();
  // The node host and its ssh path load only when `node connect` is chosen (issue 7 item 2).
  const [{ runNodeHost }, { SshPath }, { prepareStateDir }] = await Promise.all([
    import("../../node/client.ts"),
    import("../../node/ssh_path.ts"),
    import("../../platform/state_dir_hygiene.ts"),
  ]);
  const logger = createLogger({
    level: ctx.globals.verbose ? "debug" : "info",
    scope: "node",
    write: (line) => ctx.stderr(line + "\n"),
  });
  await prepareStateDir(loaded.stateDir, logger);
  const onState = ctx.globals.json
    ? (line: Record<string, unknown>) => writeJsonLine(ctx, line)
    : undefined;
  const remote = await resolveNodeRemote(ctx, flags);
  const ssh = remote?.kind === "ssh" ? remote : undefined;
  let path: SshPath | undefined;
  let tunnel: { run: Promise<TunnelResult>; stop: AbortController } | undefined;
  let deviceTokenKey: string | undefined;
  let target: NodeTarget;
  if (ssh) {
    const setup = await nodeTunnelSetup(
      ssh.route,
      loaded.stateDir,
      (l) => logger.debug(l),
      ctx.globals.remote,
    );
    deviceTokenKey = setup.deviceTokenKey;
    path = new SshPath({
      sshTarget: ssh.route.sshTarget,
      localPort: setup.localPort,
      remotePort: ssh.route.remotePort,
      args: setup.args,
      deps: setup.deps,
      logger,
      onState,
    });
    target = {
      url: path.url,
      urlSource:
        `ssh tunnel to ${ssh.route.sshTarget}, remote port ${ssh.route.remotePort} (${ssh.source})`,
      ...remoteCredentials(ctx, flags, ssh),
    };
  } else if (remote?.kind === "direct") {
    checkGatewayUrl(remote.url, remote.source);
    target = {
      url: remote.url,
      urlSource: remote.source,
      tlsFingerprint: flags.tlsFingerprint ?? remote.tlsFingerprint,
      ...remoteCredentials(ctx, flags, remote),
    };
  } else {
    target = await resolveNodeTarget(ctx, flags);
  }
  logger.info("node connecting", {
    url: target.url,
    source: target.urlSource,
    auth: target.authSource,
  });
  // The node stops first (closing its socket cleanly), then its tunnel; a tunnel that fails
  // for good (wrong key, unknown host key) stops the node.
  const nodeStop = new AbortController();
  const onAbort = () => nodeStop.abort();
  ctx.signal.addEventListener("abort", onAbort, { once: true });
  if (path) {
    const stop = new AbortController();
    tunnel = { stop, run: path.run(stop.signal) };
    tunnel.run.then((r) => r.state === "failed" && nodeStop.abort(), () => nodeStop.abort());
  }
  let result;
  try {
    result = await runNodeHost({
      url: target.url,
      transport: path,
      deviceTokenKey,
      tlsFingerprint: target.tlsFingerprint,
      token: target.token,
      password: target.password,
      stateDir: loaded.stateDir,
      displayName: flags.displayName ?? safeHostname(),
      policy: { mode, allow: flags.allow ?? [] },
      logger,
      signal: nodeStop.signal,
      onState: withNodeLinkRecord(loaded.stateDir, target.urlSource, onState),
      pairingRetryMs: numberEnv(ctx, "CLAWGATE_NODE_PAIRING_RETRY_MS"),
      backoffCapMs: numberEnv(ctx, "CLAWGATE_NODE_BACKOFF_CAP_MS"),
    });
  } finally {
    ctx.signal.removeEventListener("abort", onAbort);
    tunnel?.stop.abort();
    // Wait for the supervisor to reap ssh even when the node failed, so no ssh outlives us.
    await tunnel?.run.catch(() => undefined);
  }
  const failed = tunnel && ssh ? tunnelFailure(await tunnel.run, ssh.route.sshTarget) : undefined;
  if (failed) throw failed;
  if (result.exitCode === 7) {
    throw new CliError("auth", `Gateway refused the node: ${result.reason}`, {
      exitCode: ExitCode.AUTH,
      hint: !result.detailCode?.startsWith("AUTH_")
        ? undefined
        : target.urlSource === "cli --url"
        ? "Pass the gateway's token with --token or --token-file (or --password): with --url, env and config secrets are not used"
        : "Pass the gateway's token with --token (or --password), or set CLAWGATE_GATEWAY_TOKEN",
      details: { code: result.detailCode },
    });
  }
  return ExitCode.OK;
}

/**
 * Credentials of a node using a remote: flags > env > the selected remote's token/password;
 * with none, the device token stored for that gateway.
 */
function remoteCredentials(
  ctx: CliContext,
  flags: NodeConnectFlags,
  ssh: { token?: string; password?: string; authSource?: string },
): Pick<NodeTarget, "token" | "password" | "authSource"> {
  return pickCredentials({
    flags,
    env: ctx.env,
    config: [{ token: ssh.token, password: ssh.password, authSource: ssh.authSource ?? "" }],
  }) ?? { authSource: "stored device token (if any)" };
}

function numberEnv(ctx: CliContext, key: string): number | undefined {
  const v = ctx.env(key);
  const n = v ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function safeHostname(): string {
  try {
    return Deno.hostname();
  } catch {
    return "clawgate-node";
  }
}

/** The `node connect` action (flags declared in ./node_flags.ts). */
export const nodeConnectMain: Action = (ctx, { flags }) =>
  runNodeConnect(ctx, flags as NodeConnectFlags);
