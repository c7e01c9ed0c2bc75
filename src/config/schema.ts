/**
 * The configuration schema: the `gateway` section of OpenClaw's `openclaw.json`, so an existing
 * openclaw.json can be passed as it is. Other top-level keys, and gateway keys clawgate does not
 * use, are accepted and ignored; the keys below are type-checked.
 *
 * Source: product.md "Configuration"; OpenClaw `docs/gateway/config-gateway.md`.
 * @module
 */
import { z } from "zod";

/** Default gateway port. */
export const DEFAULT_GATEWAY_PORT = 18789;

/** Bind modes (`src/gateway/net.ts` upstream). */
export const BIND_MODES = ["loopback", "lan", "tailnet", "auto", "custom"] as const;
export type BindMode = (typeof BIND_MODES)[number];

/** Auth modes clawgate implements. */
export const AUTH_MODES = ["token", "password", "none"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

const port = z.number().int().min(1).max(65535);

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
  }).optional(),
  remote: z.looseObject({
    url: z.string().regex(/^wss?:\/\//, "must start with ws:// or wss://").optional(),
    token: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    tlsFingerprint: z.string().regex(
      /^(sha256:)?([0-9a-fA-F]{64}|([0-9a-fA-F]{2}:){31}[0-9a-fA-F]{2})$/,
      "must be 64 hex characters or 32 colon-separated hex pairs, optionally prefixed sha256:",
    ).optional(),
    sshTarget: z.string().min(1).optional(),
    sshIdentity: z.string().min(1).optional(),
    remotePort: port.optional(),
  }).optional(),
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

/** The whole file: only `gateway` is read. */
export const ConfigSchema = z.looseObject({ gateway: GatewayConfigSchema.optional() });
export type Config = z.infer<typeof ConfigSchema>;
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
