/**
 * Default values that code outside the config schema needs (profiles, remotes), in a module
 * that loads nothing: reading one must not evaluate the whole config schema (CLI start-up).
 * @module
 */

/** The gateway port without a profile (OpenClaw's default). */
export const DEFAULT_GATEWAY_PORT = 18789;
