/**
 * Entry point `deno task dist` bundles for the single-file self-extracting build: marks the
 * build kind for `--version` (src/build_kind.ts), then loads main.ts. The import is dynamic so
 * the mark is set before main.ts and its imports evaluate; `deno bundle` inlines it.
 * @module
 */
import { BUILD_KIND_GLOBAL } from "../src/build_kind.ts";
// Every module loaded through deferredImport (the command implementations, the gateway's
// post-bind modules) behind a plain import(), so the bundler splits them into chunks (from
// source they load through a computed specifier: src/platform/deferred_import.ts).
import "../src/deferred_modules.ts";

(globalThis as Record<string, unknown>)[BUILD_KIND_GLOBAL] = "single-file self-extracting";
await import("../main.ts");
