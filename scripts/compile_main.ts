/**
 * Entry point `deno compile` compiles (scripts/compile.sh): registers every command
 * implementation with a plain `import()` (src/cli/commands/run_modules.ts), so the compiler
 * embeds them, then runs main.ts. From source, main.ts runs without it (src/cli/commands/
 * load_run.ts says why).
 * @module
 */
import "../src/cli/commands/run_modules.ts";
// The same for the modules the gateway loads after its bind (src/platform/deferred_import.ts).
import "../src/deferred_modules.ts";

await import("../main.ts");
