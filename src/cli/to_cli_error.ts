/**
 * Maps any thrown error to a {@linkcode CliError}: exit code, stable code and a hint saying
 * what to do next.
 * @module
 */
import { ConfigError } from "../config/config_error.ts";
import { ConnectErrorCodes, formatCodeMessage, RpcError } from "../protocol/errors.ts";
import { TransportError } from "../transport/errors.ts";
import { TunnelError } from "../tunnel/tunnel_error.ts";
import { UnknownRemoteError } from "../tunnel/remote_target.ts";
import { CliError, ExitCode } from "./exit_code.ts";

const AUTH_DETAIL = /^(AUTH_|DEVICE_AUTH_|DEVICE_IDENTITY_REQUIRED|PAIRING_REQUIRED|MISSING_SCOPE)/;

/** Hint for a gateway URL nobody answers on. */
export function unreachableHint(url: string): string {
  return /\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url)
    ? "Start a gateway here with `clawgate gateway run`, or reach a remote one with `clawgate tunnel user@host`"
    : "Check the URL and that the gateway is running; for a loopback-only gateway use `clawgate tunnel user@host`";
}

/**
 * Converts an error into a {@linkcode CliError}.
 *
 * @param err Anything thrown by a command.
 * @returns A CliError with exit code from product.md (3 config, 4 unreachable, 5 timeout,
 *   6 remote error, 7 auth/pairing refused, 1 otherwise).
 */
export function toCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof ConfigError) {
    return new CliError("config", err.message, {
      exitCode: ExitCode.CONFIG,
      hint: `Fix ${
        err.keyPath ? `"${err.keyPath}" in ` : ""
      }${err.path}, or pass another file with --config`,
      cause: err,
    });
  }
  if (err instanceof UnknownRemoteError) {
    const flag = err.selectedBy === "--remote";
    return new CliError(flag ? "usage" : "config", err.message, {
      exitCode: flag ? ExitCode.USAGE : ExitCode.CONFIG,
      hint: err.known.length
        ? `Use one of: ${err.known.join(", ")}`
        : 'Add a remotes: { NAME: { sshTarget: "me@host" } } block to the config file',
      cause: err,
    });
  }
  if (err instanceof TunnelError) {
    return new CliError(err.refused ? "auth" : "unreachable", err.message, {
      exitCode: err.refused ? ExitCode.AUTH : ExitCode.UNREACHABLE,
      hint: err.hint,
      details: { kind: err.kind, target: err.target, spawns: err.spawns },
      cause: err,
    });
  }
  if (err instanceof TransportError) {
    if (err.kind === "timeout") {
      return new CliError("timeout", err.message, {
        exitCode: ExitCode.TIMEOUT,
        hint:
          "The gateway did not answer in time; raise --timeout or check the gateway's load and logs",
        cause: err,
      });
    }
    if (err.kind === "tls") {
      return new CliError("auth", err.message, {
        exitCode: ExitCode.AUTH,
        hint: "Check gateway.remote.tlsFingerprint against the gateway's certificate",
        cause: err,
      });
    }
    return new CliError("unreachable", err.message, {
      exitCode: ExitCode.UNREACHABLE,
      hint: unreachableHint(err.url),
      cause: err,
    });
  }
  if (err instanceof RpcError) {
    const detail = err.detailCode ?? "";
    const details = { rpcCode: err.code, ...(err.details ?? {}) };
    if (detail === ConnectErrorCodes.PAIRING_REQUIRED) {
      const requestId = err.details?.requestId;
      return new CliError("pairing_required", err.message, {
        exitCode: ExitCode.AUTH,
        hint: `Approve this device on the gateway: clawgate devices approve ${
          requestId ?? "<requestId>"
        }`,
        details,
        cause: err,
      });
    }
    if (AUTH_DETAIL.test(detail) || err.code === "FORBIDDEN" || err.code === "NOT_PAIRED") {
      return new CliError("auth", `Gateway refused: ${err.message}`, {
        exitCode: ExitCode.AUTH,
        hint: detail.startsWith("AUTH_")
          ? "Pass the gateway's token with --token (or password with --password), or set CLAWGATE_GATEWAY_TOKEN"
          : err.code === "FORBIDDEN"
          ? "This connection lacks the scope; connect over loopback or a tunnel with the gateway token"
          : undefined,
        details,
        cause: err,
      });
    }
    const nodeError = err.details?.nodeError as { code?: unknown } | undefined;
    if (nodeError?.code === "TIMEOUT") {
      // node.invoke ran out of time on the gateway's side (protocol.md §5.3): a timeout.
      return new CliError("timeout", `Gateway error: ${formatCodeMessage(err.code, err.message)}`, {
        exitCode: ExitCode.TIMEOUT,
        hint: "The node did not answer within the invoke deadline; raise --timeout",
        details,
        cause: err,
      });
    }
    return new CliError(
      "remote_error",
      `Gateway error: ${formatCodeMessage(err.code, err.message)}`,
      {
        exitCode: ExitCode.REMOTE,
        details,
        cause: err,
      },
    );
  }
  const message = err instanceof Error ? err.message : String(err);
  return new CliError("internal", message, { exitCode: ExitCode.ERROR, cause: err });
}
