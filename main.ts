/**
 * clawgate entry point: builds the CLI, wires SIGINT/SIGTERM to one AbortController, and is
 * the only place that exits the process. A bare `--version` / `-V` is answered before the
 * command tree loads (the same line and exit code as the tree's own `--version`); everything
 * else imports the tree, whose commands import their implementations when chosen.
 * @module
 */
import { versionLine } from "./src/build_kind.ts";

if (Deno.args.length === 1 && (Deno.args[0] === "--version" || Deno.args[0] === "-V")) {
  Deno.stdout.writeSync(new TextEncoder().encode(versionLine() + "\n"));
  Deno.exit(0);
}

/**
 * Signals within this many ms of the first are the same Ctrl-C: a terminal sends SIGINT to the
 * whole foreground process group, and wrappers in it (`deno task`, which forwards signals to its
 * child) deliver it a second time. Only a later signal means "stop now".
 */
const SAME_SIGNAL_WINDOW_MS = 1_000;

const controller = new AbortController();
let firstSignalAt: number | undefined;
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  try {
    Deno.addSignalListener(sig, () => {
      const now = Date.now();
      if (firstSignalAt === undefined) {
        firstSignalAt = now;
        controller.abort(sig);
        return;
      }
      // A second signal (not a forwarded copy of the first) skips the graceful path.
      if (now - firstSignalAt > SAME_SIGNAL_WINDOW_MS) Deno.exit(sig === "SIGINT" ? 130 : 143);
    });
  } catch {
    // SIGTERM listeners are unsupported on Windows; SIGINT still works.
  }
}

const { runCli } = await import("./src/cli/app.ts");
const code = await runCli(Deno.args, { signal: controller.signal });
Deno.exit(code);
