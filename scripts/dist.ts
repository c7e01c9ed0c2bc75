// deno-lint-ignore-file no-console -- a build script reports its progress on stderr
/**
 * `deno task dist`: builds `dist/clawgate`, one file to copy onto a Linux x64 server.
 *
 * - `compiled`: the real `deno compile` binary (scripts/compile.sh), when a `denort` runtime is
 *   at hand: `DENORT_BIN` is set, the runtime zip is already in `$DENO_DIR/dl/`, or its
 *   download host answers.
 * - `self-extracting` otherwise: a POSIX sh stub (scripts/dist_stub.sh) followed by a gzip'd
 *   tar of the npm-shipped Deno binary (`@deno/linux-x64-glibc`, the same version as this
 *   deno, installed with npm into `.cache/dist/npm`) and a code-split `deno bundle` of main.ts
 *   (through scripts/dist_main.ts; entry `app/dist_main.js`) with every npm dependency
 *   inlined: each dynamic import stays a chunk of its own, so a command loads and parses only
 *   the chunks it runs, as from source (scripts/dist_lazy_require.ts keeps `node:module` out
 *   of the chunks every command loads).
 *
 * Usage: `deno task dist [--kind auto|compiled|self-extracting] [--output PATH] [--if-stale]`.
 * Writes `PATH.inputs` (the digest of the build inputs, scripts/dist_inputs.ts, and the kind)
 * next to it; `--if-stale` skips the build when that file names the current inputs. Builds of
 * one output are serialised across processes (`PATH.lock`, scripts/dist_lock.ts).
 * Exits 1 with the failing step's output on any error.
 * @module
 */
import { distInputsDigest, hex } from "./dist_inputs.ts";
import { withDistLock } from "./dist_lock.ts";
import { externalImports } from "./dist_bundle_check.ts";
import { bundleArgs, deferNodeRequire } from "./dist_lazy_require.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const DENO_VERSION = Deno.version.deno;
const TARGET = "x86_64-unknown-linux-gnu";
const NPM_DENO = "@deno/linux-x64-glibc";
const DENORT_ZIP = `release/v${DENO_VERSION}/denort-${TARGET}.zip`;

type Kind = "compiled" | "self-extracting";
/** The entry chunk of the code-split bundle (scripts/dist_main.ts), run by the stub. */
const ENTRY_CHUNK = "dist_main.js";

function fail(message: string): never {
  console.error(`dist: ${message}`);
  Deno.exit(1);
}

/** Runs a command, inheriting stderr; returns stdout. Fails the build on a non-zero exit. */
async function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  let out: Deno.CommandOutput;
  try {
    out = await new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "inherit" }).output();
  } catch (err) {
    fail(`cannot run ${cmd}: ${(err as Error).message}`);
  }
  if (!out.success) fail(`${cmd} ${args.join(" ")} exited with ${out.code}`);
  return new TextDecoder().decode(out.stdout);
}

async function denoDir(): Promise<string> {
  const info = JSON.parse(await run(Deno.execPath(), ["info", "--json"]));
  return info.denoDir as string;
}

/** Why a real `denort` is usable here, or null. */
async function denortSource(): Promise<string | null> {
  if (Deno.env.get("DENORT_BIN")) return `DENORT_BIN=${Deno.env.get("DENORT_BIN")}`;
  const zip = `${await denoDir()}/dl/${DENORT_ZIP}`;
  try {
    if (Deno.statSync(zip).isFile) return `cached ${zip}`;
  } catch { /* not cached */ }
  const url = `https://dl.deno.land/${DENORT_ZIP}`;
  try {
    const res = await fetch(url, { method: "HEAD", signal: AbortSignal.timeout(5_000) });
    await res.body?.cancel();
    if (res.ok) return `reachable ${url}`;
  } catch { /* unreachable */ }
  return null;
}

function permissionFlags(): string[] {
  return Deno.readTextFileSync(`${ROOT}/scripts/permissions`).split("\n")
    .map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
}

/** The npm-shipped deno binary of this version, installed into .cache/dist/npm once. */
async function npmDeno(): Promise<string> {
  const prefix = `${ROOT}/.cache/dist/npm`;
  const bin = `${prefix}/node_modules/${NPM_DENO}/deno`;
  let have = "";
  try {
    const o = new Deno.Command(bin, { args: ["--version"], stdout: "piped", stderr: "null" })
      .outputSync();
    have = new TextDecoder().decode(o.stdout);
  } catch { /* not installed yet */ }
  if (!have.startsWith(`deno ${DENO_VERSION} `)) {
    console.error(`dist: npm install ${NPM_DENO}@${DENO_VERSION} into ${prefix}`);
    Deno.mkdirSync(prefix, { recursive: true });
    await run("npm", [
      "install",
      "--prefix",
      prefix,
      "--no-audit",
      "--no-fund",
      "--no-save",
      `${NPM_DENO}@${DENO_VERSION}`,
    ]);
  }
  return bin;
}

async function buildSelfExtracting(output: string): Promise<void> {
  if (Deno.build.os !== "linux" || Deno.build.arch !== "x86_64") {
    fail(`the self-extracting build targets ${TARGET} only; elsewhere use deno task compile`);
  }
  const deno = await npmDeno();
  const stage = await Deno.makeTempDir({ prefix: "clawgate-dist-" });
  try {
    const app = `${stage}/app`;
    await run(Deno.execPath(), bundleArgs(ROOT, `${ROOT}/scripts/dist_main.ts`, app));
    const chunks = [...Deno.readDirSync(app)].map((e) => e.name).sort();
    if (!chunks.includes(ENTRY_CHUNK)) fail(`deno bundle wrote no ${ENTRY_CHUNK} into ${app}`);
    const external = new Set<string>();
    let eagerRequire = 0;
    for (const name of chunks) {
      const path = `${app}/${name}`;
      const { code, changed } = deferNodeRequire(Deno.readTextFileSync(path));
      if (changed) Deno.writeTextFileSync(path, code);
      if (code.includes('from "node:module"')) eagerRequire++;
      for (const spec of externalImports(code)) {
        if (!(spec.startsWith("./") && chunks.includes(spec.slice(2)))) external.add(spec);
      }
      Deno.chmodSync(path, 0o444);
    }
    if (external.size) {
      fail(`the bundle still imports ${[...external].join(", ")}: it must be self-contained`);
    }
    if (eagerRequire) {
      console.error(
        `dist: warning: ${eagerRequire} chunk(s) still import node:module at load time (deno bundle changed its helper?): every command pays ~20 ms for it`,
      );
    }
    Deno.copyFileSync(deno, `${stage}/deno`);
    Deno.chmodSync(`${stage}/deno`, 0o755);
    // Reproducible archive: same inputs, same bytes, same hash, same cache dir on the server.
    const payloadPath = `${stage}/payload.tgz`;
    await run("sh", [
      "-c",
      'tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$1" -cf - deno app | gzip -n -6 > "$2"',
      "sh",
      stage,
      payloadPath,
    ]);
    const payload = Deno.readFileSync(payloadPath);
    const sha = hex(await crypto.subtle.digest("SHA-256", payload));
    const { VERSION } = await import("../src/version.ts");
    const template = Deno.readTextFileSync(`${ROOT}/scripts/dist_stub.sh`);
    const lines = template.split("\n").length; // the template ends with "\n"
    const stub = template
      .replaceAll("@PAYLOAD_LINE@", String(lines))
      .replaceAll("@PAYLOAD_SHA256@", sha)
      .replaceAll("@DIR_NAME@", `${VERSION}-${sha.slice(0, 16)}`)
      .replaceAll("@VERSION@", VERSION)
      .replaceAll("@DENO_VERSION@", DENO_VERSION)
      .replaceAll("@TARGET@", "x86_64")
      .replaceAll("@PERMISSIONS@", permissionFlags().join(" "));
    const head = new TextEncoder().encode(stub);
    const file = new Uint8Array(head.length + payload.length);
    file.set(head);
    file.set(payload, head.length);
    const tmp = `${output}.tmp-${Deno.pid}`;
    Deno.writeFileSync(tmp, file, { mode: 0o755 });
    Deno.chmodSync(tmp, 0o755);
    Deno.renameSync(tmp, output);
  } finally {
    Deno.removeSync(stage, { recursive: true });
  }
}

async function main(): Promise<void> {
  let kind = "auto";
  let output = `${ROOT}/dist/clawgate`;
  let ifStale = false;
  const args = [...Deno.args];
  while (args.length) {
    const a = args.shift()!;
    if (a === "--if-stale") ifStale = true;
    else if (a === "--kind") kind = args.shift() ?? "";
    else if (a === "--output") output = args.shift() ?? "";
    else {fail(
        `unknown argument ${a} (usage: --kind auto|compiled|self-extracting --output PATH --if-stale)`,
      );}
  }
  if (!["auto", "compiled", "self-extracting"].includes(kind) || !output) {
    fail(
      "usage: deno task dist [--kind auto|compiled|self-extracting] [--output PATH] [--if-stale]",
    );
  }
  if (!output.startsWith("/")) output = `${Deno.cwd()}/${output}`;
  Deno.mkdirSync(output.replace(/\/[^/]*$/, ""), { recursive: true });
  await withDistLock(`${output}.lock`, () => build(output, kind, ifStale));
}

async function build(output: string, kind: string, ifStale: boolean): Promise<void> {
  const digest = await distInputsDigest(ROOT);
  if (ifStale) {
    let recorded = "";
    try {
      recorded = Deno.readTextFileSync(`${output}.inputs`).split(" ")[0];
    } catch { /* never built */ }
    if (recorded === digest) {
      console.error(`dist: ${output} is up to date`);
      return;
    }
  }
  let chosen: Kind;
  if (kind === "auto") {
    const source = await denortSource();
    chosen = source ? "compiled" : "self-extracting";
    console.error(`dist: ${source ? `denort available (${source})` : "no denort runtime here"}`);
  } else chosen = kind as Kind;
  console.error(`dist: building the ${chosen} kind into ${output}`);
  try {
    Deno.removeSync(`${output}.inputs`);
  } catch { /* none yet */ }
  if (chosen === "compiled") {
    // compile.sh calls `deno` from PATH: make that this deno (CI may run it through npx).
    const path = `${Deno.execPath().replace(/\/[^/]*$/, "")}:${Deno.env.get("PATH") ?? ""}`;
    await run("sh", [`${ROOT}/scripts/compile.sh`, "--output", output], { PATH: path });
  } else await buildSelfExtracting(output);
  Deno.writeTextFileSync(`${output}.inputs`, `${digest} ${chosen}\n`);
  const size = Deno.statSync(output).size;
  console.error(`dist: ${output} (${(size / 2 ** 20).toFixed(1)} MiB, ${chosen})`);
}

await main();
