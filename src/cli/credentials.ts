/**
 * Which gateway secret a command uses: one precedence for operator commands
 * (./call_target.ts), `node connect` / `node install` and `tunnel --once`.
 *
 * 1. `--token` / `--password`, or their file forms `--token-file` / `--password-file` (already
 *    read into `token` / `password` by ./secret_input.ts; giving both forms is a usage error);
 * 2. env `CLAWGATE_GATEWAY_TOKEN` / `_PASSWORD` (or their `_FILE` forms, or `OPENCLAW_…`);
 * 3. the config sources the caller lists, in its order (e.g. the selected remote's
 *    `token`/`password`, `gateway.remote.*`, `gateway.auth.*`).
 *
 * The first tier that holds a token or a password supplies both: a token and a password never
 * come from different tiers. An explicit `--url` takes tier 1 only (OpenClaw's
 * `ensureExplicitGatewayAuth`, protocol.md §7): a secret meant for the configured gateway is
 * never sent to a URL typed on the command line.
 * @module
 */
import { type EnvGet, envSetting } from "../config/load.ts";

/** A secret and where it came from (`authSource` never holds the secret). */
export interface Credentials {
  token?: string;
  password?: string;
  /** `cli flag`, `env CLAWGATE_GATEWAY_TOKEN`, `config remotes.lab`, … */
  authSource: string;
}

/** What {@linkcode pickCredentials} chooses from. */
export interface CredentialInputs {
  /** `--token` / `--password` (file forms already read). */
  flags: { token?: string; password?: string };
  /** Environment lookup (`CLAWGATE_GATEWAY_TOKEN`, …). */
  env: EnvGet;
  /** Config sources, highest first; each `authSource` names its key, e.g. `config gateway.auth`. */
  config?: ReadonlyArray<Partial<Credentials> & { authSource: string }>;
  /** `--url` was given: only the flags count. */
  explicitUrl?: boolean;
}

/**
 * Picks the credentials of the highest tier that has any (module doc).
 *
 * @returns The pick, or undefined when no tier holds a token or a password (the caller then
 *   errors, or uses the generated local token or a stored device token).
 *
 * @example Flags win over env, and a tier supplies both secrets
 * ```ts
 * import { pickCredentials } from "./credentials.ts";
 * const env = (k: string) => ({ CLAWGATE_GATEWAY_TOKEN: "env-token" } as Record<string, string>)[k];
 * const c = pickCredentials({ flags: { password: "pw" }, env });
 * console.assert(c?.password === "pw" && c.token === undefined && c.authSource === "cli flag");
 * ```
 */
export function pickCredentials(inputs: CredentialInputs): Credentials | undefined {
  const { flags, env } = inputs;
  if (flags.token || flags.password) {
    return { token: flags.token, password: flags.password, authSource: "cli flag" };
  }
  if (inputs.explicitUrl) return undefined;
  const token = envSetting(env, "GATEWAY_TOKEN");
  const password = envSetting(env, "GATEWAY_PASSWORD");
  if (token || password) {
    return {
      token: token?.value,
      password: password?.value,
      authSource: `env ${token?.source ?? password?.source}`,
    };
  }
  const config = (inputs.config ?? []).find((c) => c.token || c.password);
  return config &&
    { token: config.token, password: config.password, authSource: config.authSource };
}
