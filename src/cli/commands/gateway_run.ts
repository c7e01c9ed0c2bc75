/**
 * `gateway run`: resolve bind, port and auth (flags > env > file > defaults), refuse unsafe
 * binds, generate a loopback token when none is configured, serve until SIGINT/SIGTERM.
 * @module
 */
import { envSetting, resolveGatewayPort } from "../../config/load.ts";
import type { BindMode } from "../../config/schema.ts";
import { isLoopbackHost, resolveBindHost } from "../../gateway/bind.ts";
import { ensureGeneratedToken } from "../../gateway/generated_token.ts";
import type { GatewayTls } from "../../gateway/tls.ts";
import type { GatewayAuth } from "../../gateway/auth.ts";
import { TICK_INTERVAL_MS } from "../../protocol/policy.ts";
import { createLogger } from "../../platform/log.ts";
import type { Action } from "../spec.ts";
import type { CliContext } from "../context.ts";
import { CliError, ExitCode } from "../exit_code.ts";
import { writeJson } from "../render.ts";

interface RunFlags {
  port?: number;
  bind?: BindMode;
  customBindHost?: string;
  auth?: "token" | "password" | "none";
  token?: string;
  password?: string;
  tlsCert?: string;
  tlsKey?: string;
  logFormat?: "text" | "json";
}

/** The `gateway run` action (flags declared in ./gateway.ts). */
export const gatewayRunMain: Action = async (ctx, input) => {
  const flags = input.flags as RunFlags;
  const loaded = await ctx.config();
  const gw = loaded.config.gateway ?? {};
  const port = resolveGatewayPort(flags.port, ctx.env, loaded.config);
  const bind = flags.bind ?? gw.bind ?? "loopback";
  const customHost = flags.customBindHost ?? gw.customBindHost;
  if (bind === "custom" && !customHost) {
    throw new CliError("config", "--bind custom needs an address", {
      exitCode: ExitCode.CONFIG,
      hint: "Pass --custom-bind-host <ip> or set gateway.customBindHost",
    });
  }
  const host = resolveBindHost(bind, customHost);
  const auth = resolveServeAuth(ctx, flags, loaded.config.gateway ?? {});
  const tls = await resolveServeTls(flags, loaded);
  const loopback = isLoopbackHost(host);
  if (!loopback && (auth.mode === "none" || (!auth.token && !auth.password))) {
    throw new CliError(
      "config",
      `Refusing to bind gateway to ${host} (--bind ${bind}) without auth`,
      {
        exitCode: ExitCode.CONFIG,
        hint:
          "Pass --token <secret> or --password <secret> (or set gateway.auth.token), or use --bind loopback",
      },
    );
  }
  const logger = createLogger({
    level: ctx.globals.verbose ? "debug" : "info",
    scope: "gateway",
    json: flags.logFormat === "json",
  });
  // The server and its parts load only when `gateway run` is chosen (issue 7 item 2).
  // The node and device extensions load after the bind (src/gateway/server.ts).
  const [{ startGateway }, { colonFingerprint }, { prepareStateDir }] = await Promise.all([
    import("../../gateway/server.ts"),
    import("../../gateway/tls.ts"),
    import("../../platform/state_dir_hygiene.ts"),
  ]);
  await prepareStateDir(loaded.stateDir, logger);
  let generatedTokenPath: string | undefined;
  if (auth.mode === "token" && !auth.token) {
    const generated = await ensureGeneratedToken(loaded.stateDir);
    auth.token = generated.token;
    generatedTokenPath = generated.path;
  }
  logger.addSecret(auth.token);
  logger.addSecret(auth.password);
  const tickIntervalMs = Number(ctx.env("CLAWGATE_TICK_INTERVAL_MS") ?? TICK_INTERVAL_MS);
  const handshakeTimeoutMs = Number(
    envSetting(ctx.env, "HANDSHAKE_TIMEOUT_MS")?.value ?? 15_000,
  );
  const gwNodes = gw.nodes ?? {};
  let running;
  try {
    running = await startGateway({
      info: {
        host,
        port,
        bind,
        auth,
        generatedTokenPath,
        tickIntervalMs: tickIntervalMs > 0 ? tickIntervalMs : TICK_INTERVAL_MS,
        handshakeTimeoutMs: handshakeTimeoutMs > 0 ? handshakeTimeoutMs : 15_000,
        autoApproveLocal: gwNodes.pairing?.autoApproveLocal ?? true,
        autoApproveNodes: gwNodes.autoApprove ?? false,
        listenerLimits: {
          maxPreauthPerIp: positiveEnv(ctx, "MAX_PREAUTH_CONNECTIONS_PER_IP"),
          maxPreauthTotal: positiveEnv(ctx, "MAX_PREAUTH_CONNECTIONS"),
        },
      },
      loaded,
      logger,
      tls,
    });
  } catch (err) {
    if (err instanceof Deno.errors.AddrInUse) {
      throw new CliError("unreachable", `Cannot bind ${host}:${port}: address already in use`, {
        exitCode: ExitCode.ERROR,
        hint: `Another process (maybe another gateway) holds port ${port}; stop it or pass --port`,
      });
    }
    if (tls) {
      throw new CliError(
        "config",
        `Cannot serve TLS with ${tls.certPath} and ${tls.keyPath}: ${(err as Error).message}`,
        {
          exitCode: ExitCode.CONFIG,
          hint: "Check that the key matches the certificate and both are PEM",
          cause: err,
        },
      );
    }
    throw err;
  }
  const url = `${tls ? "wss" : "ws"}://${host.includes(":") ? `[${host}]` : host}:${running.port}`;
  logger.info(`listening on ${url}`, {
    bind,
    auth: auth.mode,
    config: loaded.exists ? loaded.path : "(none)",
    stateDir: loaded.stateDir,
  });
  if (tls) {
    logger.info(
      `tls certificate sha256 fingerprint ${
        colonFingerprint(tls.fingerprint)
      } (clients pin it with gateway.remote.tlsFingerprint or --tls-fingerprint)`,
      { cert: tls.certPath },
    );
  }
  if (generatedTokenPath) {
    logger.info(
      `no token configured: using the generated token in ${generatedTokenPath} (local CLI calls find it)`,
    );
  }
  if (ctx.globals.json) {
    writeJson(ctx, {
      ok: true,
      url,
      host,
      port: running.port,
      bind,
      authMode: auth.mode,
      pid: Deno.pid,
      ...(tls ? { tlsFingerprint: tls.fingerprint } : {}),
    });
  }
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) return resolve();
    ctx.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  logger.info(`received ${String(ctx.signal.reason ?? "signal")}; shutting down`);
  const t0 = performance.now();
  await running.stop(`gateway stopping (${String(ctx.signal.reason ?? "signal")})`);
  logger.info(`shutdown complete in ${Math.round(performance.now() - t0)}ms`);
  return ExitCode.OK;
};

function resolveServeAuth(
  ctx: CliContext,
  flags: RunFlags,
  gw: NonNullable<Awaited<ReturnType<CliContext["config"]>>["config"]["gateway"]>,
): GatewayAuth {
  const token = flags.token ?? envSetting(ctx.env, "GATEWAY_TOKEN")?.value ?? gw.auth?.token;
  const password = flags.password ?? envSetting(ctx.env, "GATEWAY_PASSWORD")?.value ??
    gw.auth?.password;
  const configured = gw.auth?.mode === "trusted-proxy" ? undefined : gw.auth?.mode;
  const mode = flags.auth ?? configured ?? (password && !token ? "password" : "token");
  if (mode === "password" && !password) {
    throw new CliError("config", "Auth mode password needs a password", {
      exitCode: ExitCode.CONFIG,
      hint:
        "Pass --password, --password-file, set CLAWGATE_GATEWAY_PASSWORD or gateway.auth.password",
    });
  }
  return {
    mode,
    token: mode === "token" ? token : undefined,
    password: mode === "password" ? password : undefined,
  };
}

/**
 * TLS material: `--tls-cert`/`--tls-key` (paths relative to cwd) > `gateway.tls` when
 * `enabled` (paths relative to the config file). Undefined = plain ws://.
 *
 * @throws {CliError} exit 3: only one of the pair, no paths, or a file missing/unreadable/not PEM.
 */
async function resolveServeTls(
  flags: RunFlags,
  loaded: Awaited<ReturnType<CliContext["config"]>>,
): Promise<GatewayTls | undefined> {
  const cfg = loaded.config.gateway?.tls;
  let certPath: string | undefined;
  let keyPath: string | undefined;
  let source: string;
  if (flags.tlsCert || flags.tlsKey) {
    certPath = flags.tlsCert;
    keyPath = flags.tlsKey;
    source = "--tls-cert/--tls-key";
  } else if (cfg?.enabled) {
    // node:path only here: its first import sets up Node's compatibility layer (milliseconds).
    const { dirname, resolve } = await import("node:path");
    const base = dirname(loaded.path);
    certPath = cfg.certPath ? resolve(base, cfg.certPath) : undefined;
    keyPath = cfg.keyPath ? resolve(base, cfg.keyPath) : undefined;
    source = "gateway.tls.certPath/keyPath";
  } else {
    return undefined;
  }
  if (!certPath || !keyPath) {
    throw new CliError("config", `TLS needs both a certificate and a key (${source})`, {
      exitCode: ExitCode.CONFIG,
      hint:
        "Pass --tls-cert <file> and --tls-key <file>, or set gateway.tls.certPath and gateway.tls.keyPath (certificate auto-generation is not supported)",
    });
  }
  const { loadGatewayTls } = await import("../../gateway/tls.ts");
  try {
    return await loadGatewayTls({ certPath, keyPath });
  } catch (err) {
    throw new CliError("config", (err as Error).message, {
      exitCode: ExitCode.CONFIG,
      hint:
        `Fix ${source}; e.g. openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 365 -subj /CN=<host> -keyout key.pem -out cert.pem`,
      cause: err,
    });
  }
}

/** A positive integer from `CLAWGATE_<name>` / `OPENCLAW_<name>`, else undefined (default). */
function positiveEnv(ctx: CliContext, name: string): number | undefined {
  const n = Number(envSetting(ctx.env, name)?.value);
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
