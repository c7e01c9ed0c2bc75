/**
 * The configuration schema: the `gateway` section of OpenClaw's `openclaw.json`, so an existing
 * openclaw.json can be passed as it is. Other top-level keys, and gateway keys clawgate does not
 * use, are accepted and ignored; the keys below are type-checked.
 *
 * Source: product.md "Configuration"; OpenClaw `docs/gateway/config-gateway.md`.
 * @module
 */
import * as v from "valibot";
import { parseSshTarget } from "./ssh_target.ts";

/** Default gateway port (kept in ./defaults.ts, which loads nothing). */
export { DEFAULT_GATEWAY_PORT } from "./defaults.ts";

/** Bind modes (`src/gateway/net.ts` upstream). */
export const BIND_MODES = ["loopback", "lan", "tailnet", "auto", "custom"] as const;
export type BindMode = (typeof BIND_MODES)[number];

/** Auth modes clawgate implements. */
export const AUTH_MODES = ["token", "password", "none"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

const port = v.pipe(v.number(), v.safeInteger(), v.minValue(1), v.maxValue(65535));
const nonEmpty = v.pipe(v.string(), v.minLength(1));
/** A safe integer between 0 and 2^31-1 (a timer delay in milliseconds). */
const delayMs = v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(2_147_483_647));

/** How ssh treats the server's host key (see src/tunnel/ssh_args.ts). */
export const HOST_KEY_POLICY_VALUES = ["strict", "accept-new", "openssh"] as const;

/**
 * One remote gateway: `gateway.remote` (OpenClaw's keys: url, transport, token, password,
 * tlsFingerprint, sshTarget, sshIdentity, remotePort) plus clawgate's `sshOptions` and
 * `hostKeyPolicy`. The same shape is used for each entry of the top-level `remotes`.
 */
export const RemoteConfigSchema = v.looseObject({
  url: v.optional(v.pipe(v.string(), v.regex(/^wss?:\/\//, "must start with ws:// or wss://"))),
  /** `ssh`: reach the gateway through a supervised `ssh -N -L`; `direct`: dial `url`. */
  transport: v.optional(v.picklist(["ssh", "direct"])),
  token: v.optional(nonEmpty),
  password: v.optional(nonEmpty),
  tlsFingerprint: v.optional(v.pipe(
    v.string(),
    v.regex(
      /^(sha256:)?([0-9a-fA-F]{64}|([0-9a-fA-F]{2}:){31}[0-9a-fA-F]{2})$/,
      "must be 64 hex characters or 32 colon-separated hex pairs, optionally prefixed sha256:",
    ),
  )),
  /** `[user@]host[:sshPort]` (OpenClaw's `--ssh` form). */
  sshTarget: v.optional(v.pipe(
    v.string(),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      try {
        parseSshTarget(dataset.value);
      } catch (err) {
        addIssue({ message: (err as Error).message });
      }
    }),
  )),
  sshIdentity: v.optional(nonEmpty),
  /** Gateway port on the remote host's loopback. */
  remotePort: v.optional(port),
  /** Extra `ssh -o K=V` options. */
  sshOptions: v.optional(v.array(
    v.pipe(v.string(), v.regex(/^[A-Za-z][A-Za-z0-9]*=.+$/, "each entry must look like Key=Value")),
  )),
  hostKeyPolicy: v.optional(v.picklist(HOST_KEY_POLICY_VALUES)),
});
export type RemoteConfig = v.InferOutput<typeof RemoteConfigSchema>;

export const GatewayConfigSchema = v.looseObject({
  mode: v.optional(v.picklist(["local", "remote"])),
  port: v.optional(port),
  bind: v.optional(v.picklist(BIND_MODES)),
  customBindHost: v.optional(nonEmpty),
  auth: v.optional(v.looseObject({
    mode: v.optional(v.picklist([...AUTH_MODES, "trusted-proxy"])),
    token: v.optional(nonEmpty),
    password: v.optional(nonEmpty),
    allowTailscale: v.optional(v.boolean()),
    /** Failed-auth limiter (upstream's `gateway.auth.rateLimit`). */
    rateLimit: v.optional(v.looseObject({
      maxAttempts: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
      windowMs: v.optional(delayMs),
      lockoutMs: v.optional(delayMs),
      exemptLoopback: v.optional(v.boolean()),
    })),
  })),
  remote: v.optional(RemoteConfigSchema),
  tls: v.optional(v.looseObject({
    enabled: v.optional(v.boolean()),
    certPath: v.optional(v.string()),
    keyPath: v.optional(v.string()),
  })),
  controlUi: v.optional(v.looseObject({
    /** `false` turns the browser Control UI off (`GET /` then answers JSON only). */
    enabled: v.optional(v.boolean()),
    /** Browser origins (`https://host:port`, or `"*"`) allowed to open the WebSocket. */
    allowedOrigins: v.optional(v.array(nonEmpty)),
  })),
  nodes: v.optional(v.looseObject({
    autoApprove: v.optional(v.boolean()),
    pairing: v.optional(v.looseObject({ autoApproveLocal: v.optional(v.boolean()) })),
  })),
});

/** Remote names: letters, digits, `.`, `_`, `-` (they appear in file names and flags). */
export const REMOTE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The whole file: `gateway` (OpenClaw's section) and clawgate's own `remotes`
 * (`{ NAME: { …gateway.remote keys… } }`); other top-level keys are ignored.
 */
export const ConfigSchema = v.looseObject({
  gateway: v.optional(GatewayConfigSchema),
  remotes: v.optional(v.record(
    v.pipe(
      v.string(),
      v.regex(REMOTE_NAME_PATTERN, "remote names use letters, digits, . _ - only"),
    ),
    RemoteConfigSchema,
  )),
});
export type Config = v.InferOutput<typeof ConfigSchema>;
export type GatewayConfig = v.InferOutput<typeof GatewayConfigSchema>;
