/**
 * Where clawgate keeps state: `$CLAWGATE_STATE_DIR`, else `~/.clawgate` (`~/.clawgate-NAME`
 * under profile NAME, see src/config/profile.ts).
 * @module
 */
import { joinPath } from "./join_path.ts";
import { profileSuffix, resolveProfile } from "../config/profile.ts";

/**
 * Resolves the state directory.
 *
 * @param env Environment lookup (default `Deno.env.get`); `CLAWGATE_PROFILE` selects the profile.
 * @returns An absolute or home-relative path; not created here.
 * @throws {Error} When neither `CLAWGATE_STATE_DIR` nor `HOME` is set.
 * @throws {ConfigError} When `CLAWGATE_PROFILE` is not a valid profile name.
 */
export function resolveStateDir(env: (k: string) => string | undefined = Deno.env.get): string {
  const explicit = env("CLAWGATE_STATE_DIR");
  const suffix = profileSuffix(resolveProfile(env));
  if (explicit) return explicit;
  const home = env("HOME") ?? env("USERPROFILE");
  if (!home) {
    throw new Error("Cannot locate the state directory: set CLAWGATE_STATE_DIR or HOME");
  }
  return joinPath(home, `.clawgate${suffix}`);
}

/** Creates the directory (0700) if needed and returns it. */
export async function ensureDir(path: string): Promise<string> {
  await Deno.mkdir(path, { recursive: true, mode: 0o700 });
  return path;
}
