/**
 * The configuration schema: the `gateway` section of OpenClaw's `openclaw.json`, so an existing
 * openclaw.json can be passed as it is. Other top-level keys, and gateway keys clawgate does not
 * use, are accepted and ignored; the keys below are type-checked.
 *
 * Source: product.md "Configuration"; OpenClaw `docs/gateway/config-gateway.md`.
 * @module
 */
import { z } from "zod";
import { parseSshTarget } from "./ssh_target.ts";

/** Default gateway port. */
export const DEFAULT_GATEWAY_PORT = 18789;

/** Bind modes (`src/gateway/net.ts` upstream). */
export const BIND_MODES = ["loopback", "lan", "tailnet", "auto", "custom"] as const;
export type BindMode = (typeof BIND_MODES)[number];

/** Auth modes clawgate implements. */
export const AUTH_MODES = ["token", "password", "none"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

const port = z.number().int().min(1).max(65535);

/** How ssh treats the server's host key (see src/tunnel/ssh_args.ts). */
export const HOST_KEY_POLICY_VALUES = ["strict", "accept-new", "openssh"] as const;

/**
 * One remote gateway: `gateway.remote` (OpenClaw's keys: url, transport, token, password,
 * tlsFingerprint, sshTarget, sshIdentity, remotePort) plus clawgate's `sshOptions` and
 * `hostKeyPolicy`. The same shape is used for each entry of the top-level `remotes`.
 */
export const RemoteConfigSchema = z.looseObject({
  url: z.string().regex(/^wss?:\/\//, "must start with ws:// or wss://").optional(),
  /** `ssh`: reach the gateway through a supervised `ssh -N -L`; `direct`: dial `url`. */
  transport: z.enum(["ssh", "direct"]).optional(),
  token: z.string().min(1).optional(),
  password: z.string().min(1).optional(),
  tlsFingerprint: z.string().regex(
    /^(sha256:)?([0-9a-fA-F]{64}|([0-9a-fA-F]{2}:){31}[0-9a-fA-F]{2})$/,
    "must be 64 hex characters or 32 colon-separated hex pairs, optionally prefixed sha256:",
  ).optional(),
  /** `[user@]host[:sshPort]` (OpenClaw's `--ssh` form). */
  sshTarget: z.string().superRefine((v, ctx) => {
    try {
      parseSshTarget(v);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: (err as Error).message });
    }
  }).optional(),
  sshIdentity: z.string().min(1).optional(),
  /** Gateway port on the remote host's loopback. */
  remotePort: port.optional(),
  /** Extra `ssh -o K=V` options. */
  sshOptions: z.array(
    z.string().regex(/^[A-Za-z][A-Za-z0-9]*=.+$/, "each entry must look like Key=Value"),
  ).optional(),
  hostKeyPolicy: z.enum(HOST_KEY_POLICY_VALUES).optional(),
});
export type RemoteConfig = z.infer<typeof RemoteConfigSchema>;

export const GatewayConfigSchema = z.looseObject({
  mode: z.enum(["local", "remote"]).optional(),
  port: port.optional(),
  bind: z.enum(BIND_MODES).optional(),
  customBindHost: z.string().min(1).optional(),
  auth: z.looseObject({
    mode: z.enum([...AUTH_MODES, "trusted-proxy"]).optional(),
    token: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    allowTailscale: z.boolean().optional(),
    /** Failed-auth limiter (upstream's `gateway.auth.rateLimit`). */
    rateLimit: z.looseObject({
      maxAttempts: z.number().int().min(1).optional(),
      windowMs: z.number().int().min(0).max(2_147_483_647).optional(),
      lockoutMs: z.number().int().min(0).max(2_147_483_647).optional(),
      exemptLoopback: z.boolean().optional(),
    }).optional(),
  }).optional(),
  remote: RemoteConfigSchema.optional(),
  tls: z.looseObject({
    enabled: z.boolean().optional(),
    certPath: z.string().optional(),
    keyPath: z.string().optional(),
  }).optional(),
  controlUi: z.looseObject({
    /** `false` turns the browser Control UI off (`GET /` then answers JSON only). */
    enabled: z.boolean().optional(),
    /** Browser origins (`https://host:port`, or `"*"`) allowed to open the WebSocket. */
    allowedOrigins: z.array(z.string().min(1)).optional(),
  }).optional(),
  nodes: z.looseObject({
    autoApprove: z.boolean().optional(),
    pairing: z.looseObject({ autoApproveLocal: z.boolean().optional() }).optional(),
  }).optional(),
});

/** Remote names: letters, digits, `.`, `_`, `-` (they appear in file names and flags). */
export const REMOTE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The whole file: `gateway` (OpenClaw's section) and clawgate's own `remotes`
 * (`{ NAME: { …gateway.remote keys… } }`); other top-level keys are ignored.
 */
export const ConfigSchema = z.looseObject({
  gateway: GatewayConfigSchema.optional(),
  remotes: z.record(
    z.string().regex(REMOTE_NAME_PATTERN, "remote names use letters, digits, . _ - only"),
    RemoteConfigSchema,
  ).optional(),
});
export type Config = z.infer<typeof ConfigSchema>;
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
