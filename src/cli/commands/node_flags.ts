/**
 * The flags of `node connect` and its ssh-route flags (both also taken by `node install`, whose
 * unit runs them).
 * @module
 */
import { secretFlags } from "../secret_input.ts";
import type { FlagSpec } from "../spec.ts";
import { portValue } from "./flag_values.ts";

/** `node connect` / `node install` flags. */
export const NODE_CONNECT_FLAGS: readonly FlagSpec[] = [
  {
    name: "url",
    value: "<url>",
    description: "gateway WebSocket URL",
    env: "CLAWGATE_GATEWAY_URL",
  },
  { name: "host", value: "<host>", description: "gateway host (with --port)" },
  {
    name: "port",
    value: "<port>",
    description: "gateway port (default 18789 / CLAWGATE_GATEWAY_PORT)",
  },
  { name: "tls", description: "use wss://" },
  {
    name: "tls-fingerprint",
    value: "<sha256>",
    description: "pin the gateway's certificate (SHA-256)",
  },
  ...secretFlags(),
  {
    name: "display-name",
    value: "<name>",
    description: "name shown to operators (default: hostname)",
  },
  {
    name: "exec-policy",
    value: "<mode>",
    description: "system.run policy: full|allowlist|deny",
    default: "full",
  },
  {
    name: "allow",
    value: "<bin...>",
    description: "binaries allowed under --exec-policy allowlist (name or absolute path)",
    variadic: true,
  },
];

/** `node connect`'s ssh route (and `node install`'s). */
export const NODE_SSH_FLAGS: readonly FlagSpec[] = [
  {
    name: "ssh",
    value: "<user@host[:port]>",
    description: "reach the gateway through a supervised ssh tunnel to this host (one-off)",
  },
  {
    name: "ssh-identity",
    value: "<file>",
    description: "private key for --ssh (adds IdentitiesOnly=yes)",
  },
  {
    name: "ssh-option",
    value: "<K=V>",
    description: "extra `ssh -o K=V` for --ssh (repeatable; wins over clawgate's defaults)",
    repeatable: true,
    default: [],
  },
  {
    name: "remote-port",
    value: "<n>",
    description: "gateway port on the ssh host's loopback (default: the gateway port)",
    parse: portValue,
  },
];
