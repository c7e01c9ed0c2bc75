/**
 * Handshake schemas: the `connect.challenge` event, `connect` request params and the
 * `hello-ok` response payload.
 *
 * Source: `packages/gateway-protocol/src/schema/frames.ts`, `client-info.ts` and
 * `src/gateway/server/ws-connection/connect-hello.ts` (openclaw@2026.9.6), protocol.md §2.
 * @module
 */
import * as v from "valibot";
import { StateVersionSchema } from "./frames.ts";
import { Int, NonEmptyString, NonNegativeInt } from "./_shapes.ts";
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
export const ConnectChallengeSchema = v.object({
  nonce: NonEmptyString,
  ts: NonNegativeInt,
  capabilities: v.optional(v.array(v.string())),
});
export type ConnectChallenge = v.InferOutput<typeof ConnectChallengeSchema>;

/** `connect.params.client`. */
export const ClientInfoSchema = v.strictObject({
  id: v.picklist(CLIENT_IDS),
  displayName: v.optional(v.string()),
  version: NonEmptyString,
  buildId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(96))),
  platform: NonEmptyString,
  deviceFamily: v.optional(v.string()),
  modelIdentifier: v.optional(v.string()),
  timeZone: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
  mode: v.picklist(CLIENT_MODES),
  instanceId: v.optional(v.string()),
});
export type ClientInfo = v.InferOutput<typeof ClientInfoSchema>;

/** `connect.params.device`: a signed device proof (§3). */
export const DeviceProofSchema = v.strictObject({
  id: NonEmptyString,
  publicKey: NonEmptyString,
  signature: NonEmptyString,
  signedAt: NonNegativeInt,
  nonce: v.string(),
});
export type DeviceProof = v.InferOutput<typeof DeviceProofSchema>;

/** `connect.params.auth`. */
export const ConnectAuthSchema = v.strictObject({
  token: v.optional(v.string()),
  bootstrapToken: v.optional(v.string()),
  deviceToken: v.optional(v.string()),
  password: v.optional(v.string()),
  approvalRuntimeToken: v.optional(v.string()),
  agentRuntimeIdentityToken: v.optional(v.string()),
});
export type ConnectAuth = v.InferOutput<typeof ConnectAuthSchema>;

const ProtocolNumber = v.pipe(v.number(), v.safeInteger(), v.minValue(1));

/** `connect` request params (closed). `role` is any string here so the gateway can answer `invalid role`. */
export const ConnectParamsSchema = v.strictObject({
  minProtocol: ProtocolNumber,
  maxProtocol: ProtocolNumber,
  client: ClientInfoSchema,
  caps: v.optional(v.array(v.string())),
  commands: v.optional(v.array(v.string())),
  permissions: v.optional(v.record(v.string(), v.boolean())),
  pathEnv: v.optional(v.string()),
  role: v.optional(v.string()),
  scopes: v.optional(v.array(v.string())),
  device: v.optional(DeviceProofSchema),
  auth: v.optional(ConnectAuthSchema),
  locale: v.optional(v.string()),
  userAgent: v.optional(v.string()),
  computerUse: v.optional(v.unknown()),
  workerRuns: v.optional(v.unknown()),
  modelCatalog: v.optional(v.unknown()),
});
export type ConnectParams = v.InferOutput<typeof ConnectParamsSchema>;

/** How a session authenticated, echoed in `hello-ok.auth.method`. */
export const AuthMethodSchema = v.picklist([
  "none",
  "token",
  "password",
  "tailscale",
  "device-token",
  "bootstrap-token",
  "trusted-proxy",
]);

/** The `hello-ok` entries around `snapshot.presence`, whose item schema the two variants differ in. */
const helloOkEntries = <P extends v.GenericSchema>(presenceItem: P) => ({
  type: v.literal("hello-ok"),
  protocol: Int,
  server: v.looseObject({
    version: v.string(),
    connId: v.string(),
    buildId: v.optional(v.string()),
    bootId: v.optional(v.string()),
  }),
  features: v.looseObject({
    methods: v.array(v.string()),
    events: v.array(v.string()),
    capabilities: v.optional(v.array(v.string())),
  }),
  snapshot: v.looseObject({
    presence: v.array(presenceItem),
    health: HealthSnapshotSchema,
    stateVersion: StateVersionSchema,
    uptimeMs: v.number(),
    authMode: v.optional(v.picklist(["none", "token", "password", "trusted-proxy"])),
    configPath: v.optional(v.string()),
    stateDir: v.optional(v.string()),
  }),
  auth: v.looseObject({
    role: v.string(),
    scopes: v.array(v.string()),
    method: v.optional(AuthMethodSchema),
    deviceToken: v.optional(v.string()),
    issuedAtMs: v.optional(v.number()),
  }),
  policy: v.looseObject({
    maxPayload: Int,
    maxBufferedBytes: Int,
    tickIntervalMs: Int,
  }),
});

/**
 * `hello-ok` payload: the successful `connect` response, every presence entry held to
 * {@linkcode PresenceEntrySchema} (closed, as upstream). What the gateway sends and what the
 * conformance checks hold it to.
 */
export const HelloOkSchema = v.looseObject(helloOkEntries(PresenceEntrySchema));

/**
 * `hello-ok` as a client reads it: the same shape, but `snapshot.presence` entries are only
 * checked to be objects. The presence list holds one entry per listed connection (about 350 B
 * each; 3.5 MB at 10,000 nodes), which no CLI command reads from the hello, and checking every
 * entry cost a fresh `health` 50–80 ms at 10,000 nodes. Code that reads entries validates them
 * with {@linkcode PresenceEntrySchema} where it reads them.
 */
export const HelloOkReadSchema = v.looseObject(
  helloOkEntries(v.looseObject({}) as v.GenericSchema<Record<string, unknown>>),
);
export type HelloOk = v.InferOutput<typeof HelloOkSchema>;
/** {@linkcode HelloOkReadSchema}'s output: presence entries not yet validated. */
export type HelloOkRead = v.InferOutput<typeof HelloOkReadSchema>;
