/**
 * Builds the `ssh` argv for a supervised local forward. Pure: no I/O.
 *
 * The option set follows OpenClaw's `RemotePortTunnel.sshOptions()` and the autossh lessons in
 * tunnel-and-deno.md A3: no multiplexing (we track this exact pid), fail fast when the forward
 * cannot be set up, keepalives so a dead path is noticed in about 45–60 s, and an explicit
 * `127.0.0.1` bind address.
 * @module
 */
import { LINK_CHECK_REMOTE_PATH } from "../transport/link_check.ts";

/** How ssh treats the server's host key. */
export type HostKeyPolicy = "strict" | "accept-new" | "openssh";

/** The accepted host-key policies. */
export const HOST_KEY_POLICIES: readonly HostKeyPolicy[] = ["strict", "accept-new", "openssh"];

/** Inputs of {@linkcode buildSshArgs}. */
export interface SshArgsOptions {
  /** `[user@]host`. */
  target: string;
  /** Local port ssh listens on (bound to 127.0.0.1). */
  localPort: number;
  /** Port of the gateway on the remote host's loopback. */
  remotePort: number;
  /** sshd port; omitted means ssh's own default/config. */
  sshPort?: number;
  /** Private key; adds `-o IdentitiesOnly=yes -i FILE`. */
  identity?: string;
  /** @default {"strict"} */
  hostKeyPolicy?: HostKeyPolicy;
  /** `K=V` pairs passed as `-o K=V` before ours (ssh keeps the first value, so these win). */
  sshOptions?: string[];
  /** `ConnectTimeout`, in seconds. @default {10} */
  connectTimeoutS?: number;
}

/**
 * Returns the arguments after `ssh`.
 *
 * @example
 * ```ts
 * import { buildSshArgs } from "./ssh_args.ts";
 * const argv = buildSshArgs({ target: "me@box", localPort: 18789, remotePort: 18789 });
 * console.assert(argv.at(-1) === "me@box" && argv.at(-2) === "--");
 * ```
 * @throws {RangeError} Bad target (empty, starts with `-`, whitespace), port or `--ssh-option`.
 */
export function buildSshArgs(options: SshArgsOptions): string[] {
  validateTarget(options.target);
  for (const [name, p] of [["local", options.localPort], ["remote", options.remotePort]] as const) {
    checkPort(p, `${name} port`);
  }
  if (options.sshPort !== undefined) checkPort(options.sshPort, "ssh port");
  const args = ["-N", "-n"];
  for (const kv of options.sshOptions ?? []) {
    if (!/^[A-Za-z][A-Za-z0-9]*=.+$/.test(kv)) {
      throw new RangeError(`--ssh-option must look like Key=Value, got "${kv}"`);
    }
    args.push("-o", kv);
  }
  args.push(
    "-o",
    "BatchMode=yes",
    "-o",
    "ExitOnForwardFailure=yes",
    "-o",
    `ConnectTimeout=${options.connectTimeoutS ?? 10}`,
    "-o",
    "ServerAliveInterval=15",
    "-o",
    "ServerAliveCountMax=3",
    "-o",
    "TCPKeepAlive=yes",
    "-o",
    "ControlMaster=no",
    "-o",
    "ControlPath=none",
    "-o",
    "ControlPersist=no",
  );
  const policy = options.hostKeyPolicy ?? "strict";
  if (policy === "strict") args.push("-o", "StrictHostKeyChecking=yes");
  else if (policy === "accept-new") args.push("-o", "StrictHostKeyChecking=accept-new");
  if (options.sshPort !== undefined) args.push("-p", String(options.sshPort));
  if (options.identity) args.push("-o", "IdentitiesOnly=yes", "-i", options.identity);
  args.push("-L", `127.0.0.1:${options.localPort}:127.0.0.1:${options.remotePort}`);
  args.push("--", options.target);
  return args;
}

/**
 * `args` plus the link-check forward (`-L <socket>:<impossible remote path>`), inserted before
 * the `--` that ends the options; the gateway forward stays the first `-L`.
 */
export function withLinkForward(args: readonly string[], socketPath: string): string[] {
  const extra = [
    "-o",
    "StreamLocalBindUnlink=yes",
    "-L",
    `${socketPath}:${LINK_CHECK_REMOTE_PATH}`,
  ];
  const end = args.lastIndexOf("--");
  return end < 0 ? [...args, ...extra] : [...args.slice(0, end), ...extra, ...args.slice(end)];
}

/**
 * Whether `cmdline` (NUL- or space-separated argv) is an ssh forwarding 127.0.0.1:`localPort`,
 * i.e. one of ours. Used before reaping a pid from the ledger.
 */
export function isOurSshCommandLine(cmdline: string[], localPort: number): boolean {
  const prog = cmdline[0]?.split("/").pop();
  const sshAt = prog === "ssh" ? 0 : prog === "setpriv" ? cmdline.indexOf("--") + 1 : -1;
  if (sshAt < 0 || cmdline[sshAt]?.split("/").pop() !== "ssh") return false;
  const rest = cmdline.slice(sshAt + 1);
  const l = rest.indexOf("-L");
  return l >= 0 && (rest[l + 1] ?? "").startsWith(`127.0.0.1:${localPort}:`) && rest.includes("-N");
}

function validateTarget(target: string): void {
  if (!target || target.startsWith("-") || /\s/.test(target) || target.endsWith("@")) {
    throw new RangeError(`Invalid ssh target "${target}": expected [user@]host`);
  }
}

function checkPort(p: number, what: string): void {
  if (!Number.isInteger(p) || p < 1 || p > 65535) {
    throw new RangeError(`Invalid ${what} ${p}: expected 1-65535`);
  }
}
