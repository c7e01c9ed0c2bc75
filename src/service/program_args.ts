/**
 * The command a service unit runs to start this very clawgate: the absolute path of the
 * running binary when compiled (`deno compile`, `dist/clawgate`), else the `deno run` form
 * with exactly the permission flags of scripts/permissions (the list `deno task compile` bakes
 * in), so the service has the same permissions either way.
 * @module
 */
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** How this process was started. */
export interface SelfInvocation {
  /** `Deno.execPath()`: the binary itself when compiled, else the deno executable. */
  execPath: string;
  /** The project root (holding main.ts, deno.json, scripts/permissions) when not compiled. */
  root: string;
  /** Lines of scripts/permissions when not compiled (comments allowed). */
  permissionsText?: string;
}

/**
 * Whether `execPath` is a compiled clawgate rather than the deno CLI.
 *
 * @example
 * ```ts
 * import { isCompiled } from "./program_args.ts";
 * console.assert(isCompiled("/usr/local/bin/clawgate") && !isCompiled("/usr/bin/deno"));
 * ```
 */
export function isCompiled(execPath: string): boolean {
  return !/^deno(\.exe)?$/i.test(basename(execPath));
}

/**
 * The argv prefix that starts clawgate (before the subcommand).
 *
 * @returns `[execPath]` when compiled; else `[deno, "run", "--quiet", "--no-prompt",
 *   "--config", <root>/deno.json, ...permissions, <root>/main.ts]`.
 * @throws {Error} When not compiled and scripts/permissions is missing or empty.
 */
export function selfCommand(self: SelfInvocation): string[] {
  if (isCompiled(self.execPath)) return [self.execPath];
  const perms = (self.permissionsText ?? "").split("\n").map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  if (perms.length === 0) {
    throw new Error(
      `Cannot build the service command: no permission list in ${
        join(self.root, "scripts/permissions")
      }; install the compiled clawgate binary instead`,
    );
  }
  return [
    self.execPath,
    "run",
    "--quiet",
    "--no-prompt",
    "--config",
    join(self.root, "deno.json"),
    ...perms,
    join(self.root, "main.ts"),
  ];
}

/** Reads how the current process was started (Deno.execPath, the source tree root). */
export async function currentSelf(): Promise<SelfInvocation> {
  const execPath = Deno.execPath();
  const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
  if (isCompiled(execPath)) return { execPath, root };
  const permissionsText = await Deno.readTextFile(join(root, "scripts/permissions")).catch(
    () => undefined,
  );
  return { execPath, root, permissionsText };
}
