/**
 * The command a service unit runs to start this very clawgate: the absolute path of the
 * running binary when compiled (`deno compile`), the `dist/clawgate` file itself for the
 * single-file self-extracting build (its stub exports `CLAWGATE_SELF`, scripts/dist_stub.sh),
 * else the `deno run` form with exactly the permission flags of scripts/permissions (the list
 * the builds bake in), so the service has the same permissions either way.
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildKind } from "../build_kind.ts";

/** How this process was started. */
export interface SelfInvocation {
  /** Build kind (src/build_kind.ts): `compiled`, `single-file self-extracting` or `source`. */
  kind: string;
  /** The self-extracting file's path (`CLAWGATE_SELF`), when that is the kind. */
  selfPath?: string;
  /** `Deno.execPath()`: the binary itself when compiled, else the deno executable. */
  execPath: string;
  /** The project root (holding main.ts, deno.json, scripts/permissions) when not compiled. */
  root: string;
  /** Lines of scripts/permissions when not compiled (comments allowed). */
  permissionsText?: string;
}

/**
 * The argv prefix that starts clawgate (before the subcommand).
 *
 * @returns `[execPath]` when compiled; `[selfPath]` for the self-extracting file; else
 *   `[deno, "run", "--quiet", "--no-prompt", "--config", <root>/deno.json, ...permissions,
 *   <root>/main.ts]`.
 * @throws {Error} When the self-extracting file did not say where it is, or (source) when
 *   scripts/permissions is missing or empty.
 */
export function selfCommand(self: SelfInvocation): string[] {
  if (self.kind === "compiled") return [self.execPath];
  if (self.kind !== "source") {
    if (!self.selfPath?.startsWith("/")) {
      throw new Error(
        "Cannot build the service command: this clawgate build did not set CLAWGATE_SELF to its own absolute path; rebuild it with `deno task dist`",
      );
    }
    return [self.selfPath];
  }
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

/**
 * Reads how the current process was started (build kind, Deno.execPath, the source tree root).
 *
 * @param env Environment lookup (`CLAWGATE_SELF`).
 */
export async function currentSelf(
  env: (k: string) => string | undefined = (k) => Deno.env.get(k),
): Promise<SelfInvocation> {
  const kind = buildKind();
  const execPath = Deno.execPath();
  if (kind !== "source") return { kind, execPath, root: "", selfPath: env("CLAWGATE_SELF") };
  const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
  const permissionsText = await Deno.readTextFile(join(root, "scripts/permissions")).catch(
    () => undefined,
  );
  return { kind, execPath, root, permissionsText };
}
