/**
 * The clawgate version, reported in `hello-ok.server.version`, `client.version` and `--version`.
 * @module
 */
/** Semantic version of this build. */
export const VERSION = "0.1.0";
