/**
 * A tunnel for the duration of one command: reuse a healthy shared tunnel to the same forward
 * (a foreground `clawgate tunnel` or a background `tunnel up`, found in the ledger and probed
 * end to end), otherwise open a private one (ledger kind `on-demand`), run the command through
 * it, and tear it down whatever happens (return, throw, abort). The private tunnel gets one
 * ssh spawn: a refused or failed ssh is the command's error, not a retry loop.
 *
 * Local port: the wanted one when free; otherwise, unless pinned, a kernel-chosen free port
 * (./local_port.ts). Sources: tunnel-and-deno.md A2 (reuse, port choice).
 * @module
 */
import { probeChallenge } from "../transport/challenge_probe.ts";
import { findSharedTunnel } from "./ledger.ts";
import { chooseLocalPort } from "./local_port.ts";
import { routeSshArgs, type SshRoute } from "./remote_target.ts";
import { type SupervisorDeps, type TunnelResult, TunnelSupervisor } from "./supervisor.ts";
import { ledgerSupervisorDeps } from "./supervisor_deps.ts";
import { TunnelError } from "./tunnel_error.ts";
import { hintFor } from "./classify.ts";

/** The tunnel a command runs through. */
export interface TunnelUse {
  /** `ws://127.0.0.1:<localPort>`. */
  url: string;
  localPort: number;
  /** `reused`: someone else's shared tunnel; `opened`: a private one for this command. */
  how: "reused" | "opened";
  /** The ssh pid carrying it. */
  sshPid?: number;
  /** Milliseconds spent finding or opening the tunnel (ssh spawn → gateway challenge). */
  setupMs: number;
  /** The wanted local port was taken, so another was picked. */
  portFallback?: { wanted: number; reason: string };
}

/** Options of {@linkcode withTunnel}. */
export interface WithTunnelOptions {
  stateDir: string;
  /** Aborts the command; the private tunnel is then torn down. */
  signal: AbortSignal;
  /** Progress for the user, one line each (`opening ssh tunnel to me@host…`). */
  notify: (line: string) => void;
  /** Local port to try first. */
  localPort: number;
  /** `--local-port`: never fall back; a busy port is an error. */
  pinned?: boolean;
  /** `remotes.NAME`, recorded in the ledger. */
  remoteName?: string;
  /** Deadline of the end-to-end probe (reuse check and readiness), in ms. @default {5000} */
  probeTimeoutMs?: number;
  /** Deadline from spawn to the local port accepting, in ms. @default {20000} */
  readyTimeoutMs?: number;
  /** Debug sink for ssh's stderr. */
  onStderr?: (line: string) => void;
  /** Test seam; defaults to the real spawner, probe and ledger. */
  deps?: SupervisorDeps;
}

/**
 * Runs `fn` with a working tunnel to `route`'s gateway.
 *
 * @returns What `fn` returned.
 * @throws {TunnelError} ssh failed (`auth`/`host-key` refused, `refused`, `timeout`, …), the
 *   wanted port was pinned and busy (`port-busy`), or ssh came up but no gateway answered
 *   (`gateway-down`). Whatever `fn` throws propagates after the tunnel is torn down.
 */
export async function withTunnel<T>(
  route: SshRoute,
  options: WithTunnelOptions,
  fn: (use: TunnelUse) => Promise<T>,
): Promise<T> {
  const started = performance.now();
  const probeTimeoutMs = options.probeTimeoutMs ?? 5000;
  const shared = await findSharedTunnel(options.stateDir, route.key);
  if (shared) {
    const url = `ws://127.0.0.1:${shared.localPort}`;
    const healthy = await probeChallenge(url, { timeoutMs: probeTimeoutMs, signal: options.signal })
      .then(() => true, () => false);
    if (healthy) {
      return await fn({
        url,
        localPort: shared.localPort,
        how: "reused",
        sshPid: shared.pid,
        setupMs: Math.round(performance.now() - started),
      });
    }
  }
  const { port: localPort, fallback: portFallback } = await chooseLocalPort(
    options.localPort,
    options.pinned,
  );
  options.notify(
    `opening ssh tunnel to ${route.sshTarget}… (127.0.0.1:${localPort} → remote ${route.remotePort}${
      portFallback ? `; ${portFallback.reason}` : ""
    })`,
  );
  return await runPrivateTunnel(route, options, localPort, async (sshPid) =>
    await fn({
      url: `ws://127.0.0.1:${localPort}`,
      localPort,
      how: "opened",
      sshPid,
      setupMs: Math.round(performance.now() - started),
      portFallback,
    }));
}

async function runPrivateTunnel<T>(
  route: SshRoute,
  options: WithTunnelOptions,
  localPort: number,
  fn: (sshPid?: number) => Promise<T>,
): Promise<T> {
  const stop = new AbortController();
  let settle!: (r: { pid?: number } | TunnelError) => void;
  const ready = new Promise<{ pid?: number } | TunnelError>((r) => (settle = r));
  const fail = (kind: TunnelError["kind"], message: string, hint: string, spawns = 1) =>
    settle(new TunnelError(kind, message, { hint, target: route.sshTarget, spawns }));
  const supervisor = new TunnelSupervisor(
    {
      args: routeSshArgs(route, localPort),
      localPort,
      maxSpawns: 1,
      probeTimeoutMs: options.probeTimeoutMs,
      readyTimeoutMs: options.readyTimeoutMs,
      // One command's lifetime: the readiness probe is the check that matters.
      linkCheck: false,
      probeIntervalMs: 60_000,
      onState: (ev) => {
        if (ev.state === "up") settle({ pid: ev.pid });
        else if (ev.state === "gateway-down") {
          fail(
            "gateway-down",
            `ssh to ${route.sshTarget} is up, but no gateway answered on its port ${route.remotePort}: ${ev.reason}`,
            hintFor("gateway-refused"),
          );
        } else if (ev.state === "failed") {
          fail(
            ev.kind ?? "unknown",
            `ssh tunnel to ${route.sshTarget} failed: ${ev.reason}`,
            ev.hint ?? "",
            ev.attempt,
          );
        }
      },
    },
    options.deps ?? ledgerSupervisorDeps(options.stateDir, {
      target: route.destination,
      sshPort: route.sshPort,
      localPort,
      remotePort: route.remotePort,
      key: route.key,
      remoteName: options.remoteName,
      kind: "on-demand",
    }, options.onStderr),
  );
  const running: Promise<TunnelResult> = supervisor.run(
    AbortSignal.any([options.signal, stop.signal]),
  );
  running.then(
    () => fail("aborted", `ssh tunnel to ${route.sshTarget} was stopped before it came up`, ""),
    (err) => fail("unknown", `ssh tunnel to ${route.sshTarget} failed: ${String(err)}`, ""),
  );
  try {
    const r = await ready;
    if (r instanceof TunnelError) throw r;
    return await fn(r.pid);
  } finally {
    stop.abort();
    await running;
  }
}
