/**
 * The token `gateway run` generates when none is configured on loopback: stored in
 * `<stateDir>/gateway-token` (0600), found by local CLI calls.
 * @module
 */
import { joinPath } from "../platform/join_path.ts";
import { writeFileAtomic } from "../platform/atomic_write.ts";

/** Path of the generated token file. */
export function generatedTokenPath(stateDir: string): string {
  return joinPath(stateDir, "gateway-token");
}

/** Reads the generated token, or undefined when there is none. */
export async function readGeneratedToken(
  stateDir: string,
): Promise<{ token: string; path: string } | undefined> {
  const path = generatedTokenPath(stateDir);
  try {
    const token = (await Deno.readTextFile(path)).trim();
    return token ? { token, path } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Returns the existing generated token or creates one (32 random bytes, base64url), 0600.
 *
 * @returns The token, its path and whether it was created now.
 */
export async function ensureGeneratedToken(
  stateDir: string,
): Promise<{ token: string; path: string; created: boolean }> {
  const existing = await readGeneratedToken(stateDir);
  if (existing) return { ...existing, created: false };
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const token = btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
  const path = generatedTokenPath(stateDir);
  // exclusive: two gateways starting at once must not overwrite each other's token.
  if (!(await writeFileAtomic(path, token + "\n", { exclusive: true }))) {
    const raced = await readGeneratedToken(stateDir);
    if (raced) return { ...raced, created: false };
  }
  return { token, path, created: true };
}
