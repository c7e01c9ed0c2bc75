/**
 * Isolated profiles: `--profile NAME` / `CLAWGATE_PROFILE` select a state dir
 * (`~/.clawgate-NAME`, config inside it), a default gateway port and suffixed service names, so
 * two gateways (or nodes) on one host never share a token, identity, pairing store, ledger or
 * port.
 *
 * Source: OpenClaw `src/cli/profile.ts` (`applyCliProfileEnv`: state dir `~/.openclaw-NAME`,
 * names of letters, digits, `_`, `-`; `default` means no profile; `dev` gets port 19001) and
 * `docs/gateway/multiple-gateways.md` (base ports at least 20 apart). Upstream derives no port
 * for other names; clawgate gives every name its own slot so two profiles do not collide by
 * default.
 * @module
 */
import { DEFAULT_GATEWAY_PORT } from "./defaults.ts";
import { ConfigError } from "./config_error.ts";

/** Profile names: letters, digits, `_`, `-`; 1..32 chars, starting with a letter or digit. */
export const PROFILE_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

/** Spacing between profile base ports (upstream: "at least 20 ports between base ports"). */
export const PROFILE_PORT_STEP = 20;

/** Number of port slots above the default port that named profiles are spread over. */
export const PROFILE_PORT_SLOTS = 999;

/**
 * Checks a profile name.
 *
 * @param name The name given to `--profile` or `CLAWGATE_PROFILE`.
 * @returns An error sentence, or undefined when the name is valid.
 */
export function profileNameProblem(name: string): string | undefined {
  if (PROFILE_NAME_RE.test(name)) return undefined;
  return `Invalid profile name "${name}": use 1-32 letters, digits, "_" or "-", ` +
    `starting with a letter or digit`;
}

/**
 * Reads the active profile from `CLAWGATE_PROFILE` (the `--profile` flag is fed into the same
 * lookup by the CLI context).
 *
 * @param env Environment lookup.
 * @returns The profile name, or undefined for the default profile (unset, empty or `default`).
 * @throws {ConfigError} When the name has characters outside `[A-Za-z0-9_-]`.
 */
export function resolveProfile(env: (k: string) => string | undefined): string | undefined {
  const raw = env("CLAWGATE_PROFILE")?.trim();
  if (!raw || raw.toLowerCase() === "default") return undefined;
  const problem = profileNameProblem(raw);
  if (problem) throw new ConfigError("env CLAWGATE_PROFILE", problem);
  return raw;
}

/**
 * The suffix a profile adds to the state dir and service names.
 *
 * @example
 * ```ts
 * import { profileSuffix } from "./profile.ts";
 * console.assert(profileSuffix("work") === "-work" && profileSuffix(undefined) === "");
 * ```
 */
export function profileSuffix(profile: string | undefined): string {
  return profile ? `-${profile}` : "";
}

/**
 * The default gateway port of a profile: 18789 without one, 19001 for `dev` (as upstream),
 * otherwise `18789 + 20 × (1 + fnv1a(name) mod 999)`, i.e. one of 18809, 18829 … 38769.
 * `gateway.port`, `CLAWGATE_GATEWAY_PORT` and `--port` still win.
 *
 * @example
 * ```ts
 * import { defaultGatewayPort } from "./profile.ts";
 * console.assert(defaultGatewayPort(undefined) === 18789 && defaultGatewayPort("dev") === 19001);
 * ```
 */
export function defaultGatewayPort(profile: string | undefined): number {
  if (!profile) return DEFAULT_GATEWAY_PORT;
  if (profile === "dev") return 19001;
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(profile)) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  return DEFAULT_GATEWAY_PORT + PROFILE_PORT_STEP * (1 + (hash % PROFILE_PORT_SLOTS));
}
