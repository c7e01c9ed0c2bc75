/**
 * The inputs a `dist/clawgate` build depends on, as one SHA-256, so `deno task dist` can record
 * what it built from and tests/dist_smoke_test.ts and bench/startup.ts can rebuild a stale file.
 * @module
 */

/** Files outside src/ that go into the build (relative to the repo root). */
const BUILD_FILES = [
  "main.ts",
  "deno.json",
  "scripts/permissions",
  "scripts/compile.sh",
  "scripts/dist.ts",
  "scripts/dist_bundle_check.ts",
  "scripts/dist_inputs.ts",
  "scripts/dist_lazy_require.ts",
  "scripts/dist_lock.ts",
  "scripts/dist_main.ts",
  "scripts/dist_stub.sh",
];

function walkTs(dir: string, out: string[]): void {
  for (const e of Deno.readDirSync(dir)) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory) walkTs(p, out);
    else if (e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) out.push(p);
  }
}

/**
 * SHA-256 (hex) over the path and content of every build input: main.ts, deno.json, the
 * non-test files under src/ and the dist/compile scripts.
 *
 * @param root Repo root, absolute, without a trailing slash.
 * @throws {Deno.errors.NotFound} If a listed file is missing.
 */
export async function distInputsDigest(root: string): Promise<string> {
  const rel: string[] = [...BUILD_FILES];
  const src: string[] = [];
  walkTs(`${root}/src`, src);
  rel.push(...src.map((p) => p.slice(root.length + 1)));
  rel.sort();
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const p of rel) {
    parts.push(enc.encode(`${p}\0`), Deno.readFileSync(`${root}/${p}`), enc.encode("\0"));
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return hex(await crypto.subtle.digest("SHA-256", all));
}

/** Lower-case hex of a digest. */
export function hex(buf: ArrayBuffer): string {
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Builds `dist/clawgate` (scripts/dist.ts, kind `auto`) unless `dist/clawgate.inputs` names
 * the current inputs; safe to call from test files running in parallel (the build re-checks
 * under its lock, so only one of them builds).
 *
 * @param root Repo root, absolute, without a trailing slash.
 * @returns The kind of the file: `compiled` or `self-extracting`.
 * @throws {Error} With the build's stderr if the build fails.
 */
export async function ensureDist(root: string): Promise<string> {
  const dist = `${root}/dist/clawgate`;
  const recorded = (): string[] => {
    try {
      return Deno.readTextFileSync(`${dist}.inputs`).trim().split(" ");
    } catch {
      return [];
    }
  };
  if (recorded()[0] === await distInputsDigest(root)) return recorded()[1];
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", `${root}/scripts/dist.ts`, "--if-stale"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`deno task dist failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  return recorded()[1];
}
