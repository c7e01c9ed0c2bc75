/**
 * `health`: declared here, run by ./health_run.ts (loaded when chosen).
 * @module
 */
import { loadRun } from "./load_run.ts";
import type { CommandSpec } from "../spec.ts";
import { CONNECTION_FLAGS } from "./connection_flags.ts";

/** `health` (also mounted as `gateway health`, with its own summary). */
export function healthSpec(summary: string): CommandSpec {
  return {
    name: "health",
    summary,
    flags: CONNECTION_FLAGS,
    load: async () => (await loadRun("health")).healthMain,
  };
}
