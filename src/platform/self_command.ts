/**
 * How to start this program again (for `tunnel up -d`, which detaches a supervisor): the
 * compiled binary runs itself; under `deno run` (scripts/clawgate) the same `deno` runs the
 * same main module with the permissions this process was granted and the same config file.
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PERMISSIONS = ["net", "read", "write", "env", "run", "sys"] as const;

/**
 * The program and leading arguments that start clawgate again.
 *
 * @returns `{cmd, args}`; append the clawgate arguments to `args`.
 */
export function selfCommand(): { cmd: string; args: string[] } {
  if (Deno.build.standalone) return { cmd: Deno.execPath(), args: [] };
  const main = fileURLToPath(Deno.mainModule);
  const granted = PERMISSIONS.filter((name) =>
    Deno.permissions.querySync({ name }).state === "granted"
  ).map((name) => `--allow-${name}`);
  const config = join(dirname(main), "deno.json");
  let hasConfig = false;
  try {
    hasConfig = Deno.statSync(config).isFile;
  } catch { /* none */ }
  return {
    cmd: Deno.execPath(),
    args: [
      "run",
      "--quiet",
      "--no-prompt",
      ...(hasConfig ? ["--config", config] : []),
      ...granted,
      main,
    ],
  };
}
