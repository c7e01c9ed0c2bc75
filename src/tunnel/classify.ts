/**
 * Classifies ssh's stderr into what the supervisor should do: give up (fatal), retry with
 * backoff, or keep ssh and report the gateway as down. Strings follow OpenSSH's sources and
 * the table in tunnel-and-deno.md A3 (checked against OpenSSH 9.2 in tests/tunnel_test.ts).
 * @module
 */

/** Why ssh failed (or what it reported while running). */
export type SshFailureKind =
  | "auth"
  | "host-key"
  | "dns"
  | "refused"
  | "timeout"
  | "port-busy"
  | "forward-prohibited"
  | "unsupported-option"
  | "ssh-missing"
  | "dropped"
  | "gateway-refused"
  | "dead-link"
  | "unknown";

/** A classified ssh message. */
export interface SshClassification {
  kind: SshFailureKind;
  /** Fatal kinds need the user; retrying would only hammer sshd. */
  fatal: boolean;
  /** What to do next, for the user. */
  hint: string;
}

const RULES: [RegExp, SshFailureKind][] = [
  [/Permission denied \(|Too many authentication failures/, "auth"],
  [
    /Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|No \S+ host key is known for|host key for .* has changed/i,
    "host-key",
  ],
  [
    /Could not resolve hostname|Name or service not known|Temporary failure in name resolution/,
    "dns",
  ],
  [/Address already in use|Could not request local forwarding|cannot listen to port/, "port-busy"],
  [/administratively prohibited/, "forward-prohibited"],
  [
    /Bad configuration option|Unsupported option|unsupported option|Bad port|keyword .* extra arguments/i,
    "unsupported-option",
  ],
  [/channel \d+: open failed: connect failed/, "gateway-refused"],
  [/Connection refused/, "refused"],
  [
    /Connection timed out|Operation timed out|No route to host|Network is unreachable|Timeout, server .* not responding/,
    "timeout",
  ],
  [
    /Connection closed by|Connection reset by|kex_exchange_identification|Broken pipe|Connection to .* closed|client_loop: send disconnect/,
    "dropped",
  ],
];

const FATAL = new Set<SshFailureKind>([
  "auth",
  "host-key",
  "port-busy",
  "forward-prohibited",
  "unsupported-option",
  "ssh-missing",
]);

const HINTS: Record<SshFailureKind, string> = {
  auth:
    "Check the user and key: pass the right private key (tunnel --identity, node connect --ssh-identity, or sshIdentity in the config) and make sure its public key is in the server's authorized_keys",
  "host-key":
    "Verify the server's host key; add it to ~/.ssh/known_hosts (e.g. ssh-keyscan), or use --host-key-policy accept-new on first contact",
  dns: "Check the host name in the target",
  refused:
    "sshd is not accepting connections on that host/port; check --ssh-port and that sshd runs",
  timeout: "The host did not answer; check the network path and --ssh-port",
  "port-busy": "Another process holds the local port; stop it or pass --local-port N",
  "forward-prohibited":
    "The server forbids TCP forwarding; set AllowTcpForwarding yes in its sshd_config",
  "unsupported-option":
    "This ssh does not know one of the options; remove the --ssh-option or upgrade OpenSSH",
  "ssh-missing": "Install the OpenSSH client (ssh) and make sure it is on PATH",
  dropped: "The connection dropped; clawgate retries with backoff",
  "dead-link":
    "The ssh connection stopped answering (sleep, network change or a stalled server); clawgate restarts ssh",
  "gateway-refused":
    "ssh is up but nothing listens on the remote gateway port; start `clawgate gateway run` on the server or fix --remote-port",
  unknown: "Run ssh by hand with -v to see why it failed",
};

/**
 * Classifies one stderr line; `undefined` when the line is not an error we know.
 *
 * @example
 * ```ts
 * import { classifySshLine } from "./classify.ts";
 * console.assert(classifySshLine("root@h: Permission denied (publickey).")?.fatal === true);
 * ```
 */
export function classifySshLine(line: string): SshClassification | undefined {
  for (const [re, kind] of RULES) {
    if (re.test(line)) return { kind, fatal: FATAL.has(kind), hint: HINTS[kind] };
  }
  return undefined;
}

/**
 * Classifies a finished ssh run from its stderr tail: the most severe known line wins (fatal
 * before retriable); `gateway-refused` lines are ignored (they do not end ssh).
 *
 * @param lines stderr lines, oldest first.
 */
export function classifySshExit(lines: readonly string[]): SshClassification {
  let found: SshClassification | undefined;
  for (const line of lines) {
    const c = classifySshLine(line);
    if (!c || c.kind === "gateway-refused") continue;
    if (!found || (c.fatal && !found.fatal)) found = c;
  }
  return found ?? { kind: "unknown", fatal: false, hint: HINTS.unknown };
}

/**
 * Whether `line` is ssh reporting that sshd refused a channel (`channel N: open failed: …`):
 * proof that the ssh connection is alive, whatever the reason of the refusal. Sent once per
 * refused forward connection (OpenSSH channels.c `channel_input_open_failure`).
 */
export function isChannelRefusal(line: string): boolean {
  return /^channel \d+: open failed: /.test(line);
}

/**
 * Classifies a refused channel of the gateway forward, seen while probing the gateway:
 * `gateway-refused` (nothing listens on the remote port; ssh is fine) or `forward-prohibited`
 * (fatal: the server forbids TCP forwarding).
 */
export function classifyRefusal(line: string): SshClassification {
  const c = classifySshLine(line);
  return c?.kind === "forward-prohibited" ? c : {
    kind: "gateway-refused",
    fatal: false,
    hint: HINTS["gateway-refused"],
  };
}

/** The classification used when ssh itself cannot be started. */
export function sshMissing(): SshClassification {
  return { kind: "ssh-missing", fatal: true, hint: HINTS["ssh-missing"] };
}

/** Hint text for a kind. */
export function hintFor(kind: SshFailureKind): string {
  return HINTS[kind];
}
