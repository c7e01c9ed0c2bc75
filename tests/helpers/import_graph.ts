/**
 * What a set of modules loads through static imports, from Deno's own module graph
 * (`deno info --json`): a dynamic `import()` loads only when it runs, but Deno walks the graph
 * behind every plain one when the importer loads, so those are listed apart.
 * @module
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;

/** What `files` load through static imports, and the plain `import()` targets in those modules. */
export interface Closure {
  /** Repo-relative paths and bare npm names. */
  modules: Set<string>;
  /** `importer -> target` for every `import()` Deno can read statically (it walks their graphs). */
  dynamic: Set<string>;
}

function shortName(s: string): string {
  return s.startsWith("file://")
    ? s.slice(`file://${ROOT}`.length)
    : s.replace(/^npm:\/?(@?[^@/]+(?:\/[^@/]+)?)@.*$/, "npm:$1");
}

/**
 * The static-import closure of `files` (repo-relative), and the plain `import()`s in it.
 *
 * @throws {AssertionError} When `deno info` fails.
 */
export async function staticClosure(files: string[]): Promise<Closure> {
  const seen = new Set<string>();
  const dynamic = new Set<string>();
  for (const file of files) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", "--config", `${ROOT}deno.json`, `${ROOT}${file}`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as {
      roots: string[];
      redirects?: Record<string, string>;
      modules: Array<{
        specifier: string;
        dependencies?: Array<{ isDynamic?: boolean; code?: { specifier?: string } }>;
      }>;
    };
    const bySpecifier = new Map(graph.modules.map((m) => [m.specifier, m]));
    const resolve = (s: string) => graph.redirects?.[s] ?? s;
    const stack = graph.roots.map(resolve);
    const visited = new Set<string>();
    while (stack.length) {
      const s = stack.pop()!;
      if (visited.has(s)) continue;
      visited.add(s);
      for (const d of bySpecifier.get(s)?.dependencies ?? []) {
        if (!d.code?.specifier) continue;
        if (d.isDynamic) dynamic.add(`${shortName(s)} -> ${shortName(resolve(d.code.specifier))}`);
        else stack.push(resolve(d.code.specifier));
      }
    }
    for (const s of visited) seen.add(shortName(s));
  }
  return { modules: seen, dynamic };
}
