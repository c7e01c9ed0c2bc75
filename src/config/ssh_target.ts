/**
 * Parses `[user@]host[:port]`, the form of OpenClaw's `--ssh` flag and `gateway.remote.sshTarget`.
 * Pure: no I/O.
 * @module
 */

/** A parsed ssh target. */
export interface SshTargetParts {
  /** `user@host` or `host`, as passed to ssh after `--`. */
  destination: string;
  user?: string;
  host: string;
  /** sshd port when the target named one (`host:2222`); otherwise ssh's own default/config. */
  port?: number;
}

/**
 * Splits `[user@]host[:port]`. An IPv6 host goes in brackets (`me@[::1]:2222`).
 *
 * @example
 * ```ts
 * import { parseSshTarget } from "./ssh_target.ts";
 * const t = parseSshTarget("me@box.example.com:2222");
 * console.assert(t.destination === "me@box.example.com" && t.port === 2222);
 * ```
 * @throws {RangeError} Empty, starts with `-`, whitespace, empty user or host, bad port.
 */
export function parseSshTarget(raw: string): SshTargetParts {
  const bad = (why: string) =>
    new RangeError(`Invalid ssh target "${raw}": ${why}; expected [user@]host[:port]`);
  if (!raw || raw.startsWith("-") || /\s/.test(raw)) {
    throw bad("empty, starts with - or has spaces");
  }
  const at = raw.lastIndexOf("@");
  const user = at >= 0 ? raw.slice(0, at) : undefined;
  let rest = at >= 0 ? raw.slice(at + 1) : raw;
  if (user !== undefined && !user) throw bad("empty user");
  let port: number | undefined;
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (bracket) {
    rest = bracket[1];
    if (bracket[2] !== undefined) port = Number(bracket[2]);
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    const [h, p] = rest.split(":");
    if (!/^\d+$/.test(p)) throw bad(`port "${p}" is not a number`);
    rest = h;
    port = Number(p);
  }
  if (!rest) throw bad("empty host");
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    throw bad(`port ${port} is not 1-65535`);
  }
  const host = rest;
  return { destination: user ? `${user}@${host}` : host, user, host, port };
}
