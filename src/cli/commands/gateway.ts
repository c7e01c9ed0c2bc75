/**
 * `gateway run|health|status|install|start|stop|restart|uninstall|call|send|agent`: the gateway
 * itself and raw/typed RPCs to one, declared as data; each implementation loads when chosen.
 * @module
 */
import { secretFlags } from "../secret_input.ts";
import { loadRun } from "./load_run.ts";
import type { CommandSpec } from "../spec.ts";
import { CONNECTION_FLAGS } from "./connection_flags.ts";
import { listenPortValue } from "./flag_values.ts";
import { healthSpec } from "./health.ts";
import { serviceSpecs } from "./service.ts";

/** `gateway.bind` modes (src/config/schema.ts BIND_MODES; a test keeps them equal). */
export const BIND_CHOICES = ["loopback", "lan", "tailnet", "auto", "custom"] as const;
/** `gateway.auth.mode` values a flag may set (src/config/schema.ts AUTH_MODES). */
export const AUTH_CHOICES = ["token", "password", "none"] as const;

const gatewayRun: CommandSpec = {
  name: "run",
  summary: "serve the gateway until SIGINT/SIGTERM (binds 127.0.0.1:18789 by default)",
  flags: [
    {
      name: "port",
      value: "<n>",
      description: "port (config gateway.port; default 18789)",
      env: "CLAWGATE_GATEWAY_PORT",
      parse: listenPortValue,
    },
    {
      name: "bind",
      value: "<mode>",
      description: "bind mode (config gateway.bind; default loopback)",
      choices: BIND_CHOICES,
    },
    {
      name: "custom-bind-host",
      value: "<ip>",
      description: "address for --bind custom (config gateway.customBindHost)",
    },
    {
      name: "auth",
      value: "<mode>",
      description: "auth mode (config gateway.auth.mode)",
      choices: AUTH_CHOICES,
    },
    ...secretFlags("shared", {
      token: "env CLAWGATE_GATEWAY_TOKEN, config gateway.auth.token",
      password: "env CLAWGATE_GATEWAY_PASSWORD, config gateway.auth.password",
    }),
    {
      name: "tls-cert",
      value: "<file>",
      description: "PEM certificate: serve wss:// and https:// (config gateway.tls.certPath)",
    },
    {
      name: "tls-key",
      value: "<file>",
      description: "PEM private key for --tls-cert (config gateway.tls.keyPath)",
    },
    {
      name: "log-format",
      value: "<format>",
      description: "stderr log lines as text or one JSON object each",
      choices: ["text", "json"],
      default: "text",
    },
  ],
  load: async () => (await loadRun("gateway")).gatewayRunMain,
};

const gatewayStatus: CommandSpec = {
  name: "status",
  summary: "the service (installed, state, pid, since, last exit), then a probe of the gateway",
  flags: [
    ...CONNECTION_FLAGS,
    {
      name: "deep",
      description: "also warn about other gateways on this host (profiles, stray runs)",
    },
  ],
  load: async () => {
    const { runGatewayStatus } = await loadRun("service_status");
    return (ctx, { flags }) => runGatewayStatus(ctx, flags);
  },
};

const call: CommandSpec = {
  name: "call",
  summary: "call any gateway method and print its JSON result",
  args: [{ name: "method", description: "method name, e.g. status, node.list", required: true }],
  flags: [
    ...CONNECTION_FLAGS,
    { name: "params", value: "<json>", description: "params as a JSON object", default: "{}" },
    {
      name: "expect-final",
      description: "wait past an `accepted` first response (two-phase methods)",
    },
  ],
  load: async () => (await loadRun("gateway_call")).callMain,
};

const send: CommandSpec = {
  name: "send",
  summary: "OpenClaw `send` (clawgate gateways answer: no channels)",
  flags: [
    ...CONNECTION_FLAGS,
    { name: "to", value: "<target>", description: "recipient", required: true },
    { name: "message", value: "<text>", description: "message text", required: true },
    { name: "channel", value: "<name>", description: "channel" },
  ],
  load: async () => (await loadRun("gateway_call")).sendMain,
};

const agent: CommandSpec = {
  name: "agent",
  summary: "OpenClaw `agent` (clawgate gateways answer: no agents)",
  flags: [
    ...CONNECTION_FLAGS,
    { name: "message", value: "<text>", description: "prompt", required: true },
    { name: "agent-id", value: "<id>", description: "agent id" },
    { name: "expect-final", description: "wait for the final result", default: true },
  ],
  load: async () => (await loadRun("gateway_call")).agentMain,
};

/** The `gateway` command group. */
export const gatewaySpec: CommandSpec = {
  name: "gateway",
  summary: "run a gateway, or talk to one",
  subcommands: [
    gatewayRun,
    healthSpec("handshake + health; exit 0 only if ok"),
    gatewayStatus,
    ...serviceSpecs("gateway"),
    call,
    send,
    agent,
  ],
};
