/**
 * The 0600 file a service reads its gateway token or password from (`--token-file`), so the
 * secret never appears on a command line or in the unit (which `systemctl show` and `ps`
 * expose). Lives in `<stateDir>/service/` (0700).
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "../platform/atomic_write.ts";
import { secretFromText } from "../platform/secret_text.ts";
import type { ServiceKind } from "./spec.ts";

/** Which secret a service uses and where it is kept. */
export interface ServiceSecret {
  /** `token` → `--token-file`, `password` → `--password-file`. */
  type: "token" | "password";
  value: string;
  path: string;
}

/**
 * The path of a service's secret file: `<stateDir>/service/<kind>.<type>`.
 *
 * @example
 * ```ts
 * import { serviceSecretPath } from "./secret_file.ts";
 * console.assert(serviceSecretPath("/s", "node", "token") === "/s/service/node.token");
 * ```
 */
export function serviceSecretPath(
  stateDir: string,
  kind: ServiceKind,
  type: "token" | "password",
): string {
  return join(stateDir, "service", `${kind}.${type}`);
}

/**
 * Writes the secret with mode 0600 (directory 0700), replacing any old file atomically.
 *
 * @throws {Deno.errors.PermissionDenied} When the state dir is not writable.
 */
export async function writeSecretFile(secret: ServiceSecret): Promise<void> {
  await writeFileAtomic(secret.path, secret.value + "\n", { mode: 0o600, dirMode: 0o700 });
}

/** Reads a secret file's value ({@linkcode secretFromText}), or undefined when absent. */
export async function readSecretFile(path: string): Promise<string | undefined> {
  try {
    return secretFromText(await Deno.readTextFile(path));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}
