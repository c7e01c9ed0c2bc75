/**
 * The flags of every operator command: where the gateway is, its secret, the deadline.
 * @module
 */
import { secretFlags } from "../secret_input.ts";
import type { FlagSpec } from "../spec.ts";

/** `--url --token[-file] --password[-file] --timeout`. */
export const CONNECTION_FLAGS: readonly FlagSpec[] = [
  {
    name: "url",
    value: "<url>",
    description: "gateway WebSocket URL (needs --token or --password)",
    env: "CLAWGATE_GATEWAY_URL",
  },
  ...secretFlags(),
  {
    name: "timeout",
    value: "<ms>",
    description: "deadline for the connection and each RPC in ms",
    default: "10000",
  },
];
