/**
 * Entry point `deno compile` compiles (scripts/compile.sh): registers every module loaded through
 * `deferredImport` with a plain `import()` (src/deferred_modules.ts: the command
 * implementations, the gateway's post-bind modules), so the compiler embeds them, then runs
 * main.ts. From source, main.ts runs without it (src/platform/deferred_import.ts says why).
 * @module
 */
// Every module loaded through deferredImport (the command implementations, the gateway's
// post-bind modules) behind a plain import(), so the compiler embeds them (from source they load
// through a computed specifier: src/platform/deferred_import.ts).
import "../src/deferred_modules.ts";

await import("../main.ts");
