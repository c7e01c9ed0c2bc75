/**
 * The last step of reaching a gateway: for a remote with transport `ssh`, run the command
 * through a tunnel (a healthy shared one, else a private one opened for this command and torn
 * down after it; see src/tunnel/with_tunnel.ts); otherwise dial the URL as it is.
 * @module
 */
import type { CallTarget } from "./call_target.ts";
import type { CliContext } from "./context.ts";

/**
 * Runs `fn` with a target whose `url` can be dialled now (and whose `tunnel` says how, when a
 * tunnel carries it).
 *
 * @throws {TunnelError} The tunnel could not be opened (see withTunnel); `fn`'s own errors
 *   propagate after the tunnel is torn down.
 */
export async function withGatewayRoute<T>(
  ctx: CliContext,
  target: CallTarget,
  fn: (target: CallTarget) => Promise<T>,
): Promise<T> {
  if (!target.ssh) return await fn(target);
  const loaded = await ctx.config();
  // Loaded only for ssh remotes: the tunnel supervisor stays out of direct calls.
  const { withTunnel } = await import("../tunnel/with_tunnel.ts");
  return await withTunnel(target.ssh, {
    stateDir: loaded.stateDir,
    signal: ctx.signal,
    notify: (line) => ctx.stderr(`${line}\n`),
    localPort: Number(new URL(target.url).port),
    remoteName: target.remote?.name,
    onStderr: (line) => ctx.logger.debug(`ssh: ${line}`),
  }, (use) => {
    ctx.logger.debug(`ssh tunnel ${use.how}`, {
      url: use.url,
      sshPid: use.sshPid,
      setupMs: use.setupMs,
    });
    return fn({ ...target, url: use.url, tunnel: use });
  });
}
