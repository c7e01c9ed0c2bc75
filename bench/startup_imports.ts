// deno-lint-ignore-file no-console -- a benchmark prints its figures
/**
 * `deno task bench:imports [--rounds N]`: what each dependency and each big part of src/ costs
 * to load, as the wall time and peak RSS of `deno run` of a file that only imports it, against
 * the floor (`deno run` of an empty file), all in one run, alternating, medians over N rounds
 * (default 7). Input for making commands load only what they run (issue 7 item 2). Peak RSS
 * from `/usr/bin/time -f %M` (0 when absent). The deno.json import map resolves npm names.
 * @module
 */

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
let rounds = 7;
const at = Deno.args.indexOf("--rounds");
if (at >= 0) rounds = Math.max(1, Number(Deno.args[at + 1]) || rounds);

/** Label → specifier (npm name from deno.json, or a repo path). */
const MODULES: Array<[string, string]> = [
  ["(floor: empty file)", ""],
  ["type-flag", "type-flag"],
  ["valibot", "valibot"],
  ["ws", "ws"],
  ["json5", "json5"],
  ["hono", "hono"],
  ["node:path", "node:path"],
  ["src/protocol/client.ts", `${ROOT}/src/protocol/client.ts`],
  ["src/protocol/mod.ts", `${ROOT}/src/protocol/mod.ts`],
  ["src/config/load.ts", `${ROOT}/src/config/load.ts`],
  ["src/transport/gateway_client.ts", `${ROOT}/src/transport/gateway_client.ts`],
  ["src/node/client.ts", `${ROOT}/src/node/client.ts`],
  ["src/tunnel/supervisor.ts", `${ROOT}/src/tunnel/supervisor.ts`],
  ["src/gateway/server.ts", `${ROOT}/src/gateway/server.ts`],
  ["src/gateway/serving.ts (HTTP app, session)", `${ROOT}/src/gateway/serving.ts`],
  ["src/transport/ws_upgrade_kit.ts (framing)", `${ROOT}/src/transport/ws_upgrade_kit.ts`],
  ["src/cli/tree.ts (every command, declared)", `${ROOT}/src/cli/tree.ts`],
  ["src/cli/app.ts (tree + parser)", `${ROOT}/src/cli/app.ts`],
  ["src/cli/commands/health_run.ts (health)", `${ROOT}/src/cli/commands/health_run.ts`],
];

const tmp = await Deno.makeTempDir({ prefix: "clawgate-bench-imports-" });
try {
  const files = MODULES.map(([, spec], i) => {
    const f = `${tmp}/m${i}.ts`;
    Deno.writeTextFileSync(f, spec ? `import ${JSON.stringify(spec)};\n` : "");
    return f;
  });
  const run = async (file: string): Promise<[number, number]> => {
    const rss = `${tmp}/rss`;
    const t0 = performance.now();
    const out = await new Deno.Command("/usr/bin/time", {
      args: [
        "-f",
        "%M",
        "-o",
        rss,
        Deno.execPath(),
        "run",
        "--quiet",
        "--allow-all",
        "--config",
        `${ROOT}/deno.json`,
        file,
      ],
      stdout: "null",
      stderr: "piped",
    }).output().catch(() => null);
    const ms = performance.now() - t0;
    if (!out?.success) throw new Error(`${file}: ${new TextDecoder().decode(out?.stderr)}`);
    const kib = Number(Deno.readTextFileSync(rss).trim().split("\n").pop()) || 0;
    return [ms, kib];
  };
  for (const f of files) await run(f); // warm Deno's caches (type-stripped code, npm)
  const ms: number[][] = files.map(() => []);
  const kib: number[][] = files.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < files.length; i++) {
      const [m, k] = await run(files[i]);
      ms[i].push(m);
      kib[i].push(k);
    }
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const h = s.length >> 1;
    return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
  };
  const fMs = median(ms[0]);
  const fKib = median(kib[0]);
  console.log(`deno ${Deno.version.deno}, ${rounds} rounds, medians; import alone:\n`);
  console.log("| module | wall | × floor | peak MiB | × floor |\n|---|---|---|---|---|");
  MODULES.forEach(([label], i) => {
    const m = median(ms[i]);
    const k = median(kib[i]);
    console.log(
      `| ${label} | ${(m / 1000).toFixed(3)} s | ${(m / fMs).toFixed(1)}× | ${
        (k / 1024).toFixed(0)
      } | ${fKib ? (k / fKib).toFixed(1) : "n/a"}× |`,
    );
  });
} finally {
  await Deno.remove(tmp, { recursive: true });
}
