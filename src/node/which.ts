/**
 * `system.which`: resolve binary names on the node's PATH to absolute paths; missing ones are
 * omitted (`{bins:{sh:"/usr/bin/sh"}}`, protocol.md §5.4).
 * @module
 */

/**
 * Resolves one binary on PATH.
 *
 * @param bin A name (`sh`) or a path (`/bin/sh`, `./x`; checked as is).
 * @param pathEnv The PATH to search. @default {Deno.env.get("PATH")}
 * @returns The absolute path of the first executable regular file, or `null`.
 */
export async function whichBin(bin: string, pathEnv?: string): Promise<string | null> {
  if (!bin) return null;
  const isWindows = Deno.build.os === "windows";
  const sep = isWindows ? ";" : ":";
  if (bin.includes("/") || (isWindows && bin.includes("\\"))) {
    const abs = bin.startsWith("/") ? bin : `${Deno.cwd()}/${bin}`;
    return (await isExecutable(abs)) ? abs : null;
  }
  const path = pathEnv ?? Deno.env.get("PATH") ?? "";
  const exts = isWindows
    ? ["", ...(Deno.env.get("PATHEXT") ?? ".EXE;.CMD;.BAT").split(";").map((e) => e.toLowerCase())]
    : [""];
  for (const dir of path.split(sep)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = `${dir.replace(/[\\/]+$/, "")}${isWindows ? "\\" : "/"}${bin}${ext}`;
      if (await isExecutable(candidate)) {
        return candidate.startsWith("/") || isWindows ? candidate : `${Deno.cwd()}/${candidate}`;
      }
    }
  }
  return null;
}

/**
 * Resolves many binaries.
 *
 * @returns `{bins:{name:absPath}}` with missing names omitted.
 */
export async function systemWhich(
  bins: readonly string[],
  pathEnv?: string,
): Promise<{ bins: Record<string, string> }> {
  const out: Record<string, string> = {};
  for (const bin of bins) {
    const found = await whichBin(bin, pathEnv);
    if (found) out[bin] = found;
  }
  return { bins: out };
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    const st = await Deno.stat(path);
    if (!st.isFile) return false;
    if (Deno.build.os === "windows") return true;
    return st.mode === null || (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}
