/**
 * clawgate entry point: builds the CLI, wires SIGINT/SIGTERM to one AbortController, and is
 * the only place that exits the process.
 * @module
 */
import { runCli } from "./src/cli/app.ts";

const controller = new AbortController();
let signalled = 0;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  try {
    Deno.addSignalListener(sig, () => {
      signalled++;
      // A second signal means "stop now": skip the graceful path.
      if (signalled > 1) Deno.exit(sig === "SIGINT" ? 130 : 143);
      controller.abort(sig);
    });
  } catch {
    // SIGTERM listeners are unsupported on Windows; SIGINT still works.
  }
}

const code = await runCli(Deno.args, { signal: controller.signal });
Deno.exit(code);
