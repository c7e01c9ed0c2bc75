/**
 * Handshake schemas: the `connect.challenge` event, `connect` request params and the
 * `hello-ok` response payload.
 *
 * Source: `packages/gateway-protocol/src/schema/frames.ts`, `client-info.ts` and
 * `src/gateway/server/ws-connection/connect-hello.ts` (openclaw@2026.9.6), protocol.md §2.
 * @module
 */
import { z } from "zod";
import { StateVersionSchema } from "./frames.ts";
import { HealthSnapshotSchema, PresenceEntrySchema } from "./snapshot.ts";

/** `client.id` values the gateway accepts (`client-info.ts`). */
export const CLIENT_IDS = [
  "webchat-ui",
  "openclaw-control-ui",
  "openclaw-browser-copilot",
  "openclaw-tui",
  "webchat",
  "cli",
  "gateway-client",
  "openclaw-macos",
  "openclaw-linux",
  "openclaw-ios",
  "openclaw-watchos",
  "openclaw-android",
  "node-host",
  "openclaw-worker",
  "test",
  "fingerprint",
  "openclaw-probe",
] as const;
export type ClientId = (typeof CLIENT_IDS)[number];

/** `client.mode` values the gateway accepts. */
export const CLIENT_MODES = [
  "webchat",
  "cli",
  "ui",
  "backend",
  "node",
  "worker",
  "probe",
  "test",
] as const;
export type ClientMode = (typeof CLIENT_MODES)[number];

/** Roles a connection may take. */
export const ROLES = ["operator", "node"] as const;
export type Role = (typeof ROLES)[number];

/** The challenge event payload: `{nonce, ts, capabilities?}`; `ts` is epoch milliseconds. */
export const ConnectChallengeSchema = z.object({
  nonce: z.string().min(1),
  ts: z.number().int().nonnegative(),
  capabilities: z.array(z.string()).optional(),
});
export type ConnectChallenge = z.infer<typeof ConnectChallengeSchema>;

/** `connect.params.client`. */
export const ClientInfoSchema = z.strictObject({
  id: z.enum(CLIENT_IDS),
  displayName: z.string().optional(),
  version: z.string().min(1),
  buildId: z.string().min(1).max(96).optional(),
  platform: z.string().min(1),
  deviceFamily: z.string().optional(),
  modelIdentifier: z.string().optional(),
  timeZone: z.string().min(1).max(64).optional(),
  mode: z.enum(CLIENT_MODES),
  instanceId: z.string().optional(),
});
export type ClientInfo = z.infer<typeof ClientInfoSchema>;

/** `connect.params.device`: a signed device proof (§3). */
export const DeviceProofSchema = z.strictObject({
  id: z.string().min(1),
  publicKey: z.string().min(1),
  signature: z.string().min(1),
  signedAt: z.number().int().nonnegative(),
  nonce: z.string(),
});
export type DeviceProof = z.infer<typeof DeviceProofSchema>;

/** `connect.params.auth`. */
export const ConnectAuthSchema = z.strictObject({
  token: z.string().optional(),
  bootstrapToken: z.string().optional(),
  deviceToken: z.string().optional(),
  password: z.string().optional(),
  approvalRuntimeToken: z.string().optional(),
  agentRuntimeIdentityToken: z.string().optional(),
});
export type ConnectAuth = z.infer<typeof ConnectAuthSchema>;

/** `connect` request params (closed). `role` is any string here so the gateway can answer `invalid role`. */
export const ConnectParamsSchema = z.strictObject({
  minProtocol: z.number().int().min(1),
  maxProtocol: z.number().int().min(1),
  client: ClientInfoSchema,
  caps: z.array(z.string()).optional(),
  commands: z.array(z.string()).optional(),
  permissions: z.record(z.string(), z.boolean()).optional(),
  pathEnv: z.string().optional(),
  role: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  device: DeviceProofSchema.optional(),
  auth: ConnectAuthSchema.optional(),
  locale: z.string().optional(),
  userAgent: z.string().optional(),
  computerUse: z.unknown().optional(),
  workerRuns: z.unknown().optional(),
  modelCatalog: z.unknown().optional(),
});
export type ConnectParams = z.infer<typeof ConnectParamsSchema>;

/** How a session authenticated, echoed in `hello-ok.auth.method`. */
export const AuthMethodSchema = z.enum([
  "none",
  "token",
  "password",
  "tailscale",
  "device-token",
  "bootstrap-token",
  "trusted-proxy",
]);

/** `hello-ok` payload: the successful `connect` response. */
export const HelloOkSchema = z.object({
  type: z.literal("hello-ok"),
  protocol: z.number().int(),
  server: z.object({
    version: z.string(),
    connId: z.string(),
    buildId: z.string().optional(),
    bootId: z.string().optional(),
  }).passthrough(),
  features: z.object({
    methods: z.array(z.string()),
    events: z.array(z.string()),
    capabilities: z.array(z.string()).optional(),
  }).passthrough(),
  snapshot: z.object({
    presence: z.array(PresenceEntrySchema),
    health: HealthSnapshotSchema,
    stateVersion: StateVersionSchema,
    uptimeMs: z.number(),
    authMode: z.enum(["none", "token", "password", "trusted-proxy"]).optional(),
    configPath: z.string().optional(),
    stateDir: z.string().optional(),
  }).passthrough(),
  auth: z.object({
    role: z.string(),
    scopes: z.array(z.string()),
    method: AuthMethodSchema.optional(),
    deviceToken: z.string().optional(),
    issuedAtMs: z.number().optional(),
  }).passthrough(),
  policy: z.object({
    maxPayload: z.number().int(),
    maxBufferedBytes: z.number().int(),
    tickIntervalMs: z.number().int(),
  }).passthrough(),
}).passthrough();
export type HelloOk = z.infer<typeof HelloOkSchema>;
