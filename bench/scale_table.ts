// deno-lint-ignore-file no-console -- a scripted measurement whose product is the printed table
/**
 * The issue 8 table: bench/scale.ts for every N × kind against one gateway root (optionally the
 * real OpenClaw at the smallest N), one markdown table on stdout, progress on stderr. Each cell
 * runs in its own `deno run bench/scale.ts --json` process, killed if it outlives its bound.
 *
 * Run: `deno task bench:scale:table [--gateway-root DIR] [--ns 1000,5000,10000]
 * [--kinds cli,backend,node] [--idle-s 60] [--deadline-s 60] [--openclaw]`
 * - `--idle-s`: the idle CPU window; at least 60 s, so it spans two liveness pings (every 25 s)
 *   and two ticks (every 30 s) of every session, the whole of what an idle gateway does (a 10 s
 *   window reads 0 % or a spike).
 * - `--deadline-s`: each fleet must be up within this bound (else the cell says so); a cell's
 *   process is killed after `deadline-s + idle-s + 120` s.
 * - `--openclaw`: also the real OpenClaw gateway at the smallest N (`CLAWGATE_INTEROP_DIR`).
 * @module
 */
import { parseArgs } from "node:util";
import type { ScaleResult } from "./scale_report.ts";
import { loadAverage } from "./scale_probe.ts";

const { values: opt } = parseArgs({
  args: Deno.args,
  options: {
    "gateway-root": { type: "string" },
    ns: { type: "string", default: "1000,5000,10000" },
    kinds: { type: "string", default: "cli,backend,node" },
    "idle-s": { type: "string", default: "60" },
    "deadline-s": { type: "string", default: "60" },
    openclaw: { type: "boolean", default: false },
  },
});
const ns = opt.ns!.split(",").map(Number);
if (ns.some((n) => !(n > 0))) throw new RangeError(`bad --ns ${opt.ns}: positive numbers`);
const kinds = opt.kinds!.split(",");
const idleS = Number(opt["idle-s"]);
const deadlineS = Number(opt["deadline-s"]);
const killAfterMs = (deadlineS + idleS + 120) * 1000;
const scaleTs = new URL("./scale.ts", import.meta.url).pathname;

interface Cell {
  gateway: string;
  kind: string;
  n: number;
  result?: ScaleResult;
  /** Why there is no result (killed, crashed). */
  error?: string;
}

/** Runs one cell in its own process, bounded by `killAfterMs`. */
async function runCell(gateway: "clawgate" | "openclaw", kind: string, n: number): Promise<Cell> {
  const args = ["run", "--allow-all", scaleTs, "--json", "--kind", kind, "--n", String(n)];
  args.push("--idle-s", String(idleS), "--deadline-s", String(deadlineS));
  if (gateway === "openclaw") args.push("--openclaw");
  else if (opt["gateway-root"]) args.push("--gateway-root", opt["gateway-root"]);
  const child = new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "piped" })
    .spawn();
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    try {
      child.kill("SIGKILL");
    } catch { /* exited */ }
  }, killAfterMs);
  const out = await child.output();
  clearTimeout(timer);
  const cell: Cell = { gateway, kind, n };
  const text = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "";
  if (killed) cell.error = `killed after ${killAfterMs / 1000} s`;
  else if (out.code !== 0 || !text.startsWith("{")) {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-3).join(" ");
    cell.error = `exit ${out.code}: ${err.slice(0, 160)}`;
  } else cell.result = JSON.parse(text);
  return cell;
}

const f1 = (x: number) => x.toFixed(1);

/** One markdown row. */
function row(c: Cell): string {
  const head = [c.gateway, c.kind, String(c.n)];
  const r = c.result;
  if (!r) return `| ${[...head, c.error ?? "", "", "", "", "", ""].join(" | ")} |`;
  const establish = r.complete
    ? f1(r.establishMs / 1000)
    : `not established within ${r.deadlineS} s (${r.established} of ${r.n})`;
  return `| ${
    [
      ...head,
      establish,
      f1(r.rssPerSessionIdleKiB),
      f1(r.idleCpuPct),
      r.eventBytesPerSession >= 1024 * 1024
        ? `${f1(r.eventBytesPerSession / 1024 / 1024)} MiB`
        : `${f1(r.eventBytesPerSession / 1024)} KiB`,
      `${r.healthEmptyMs ?? "failed"} → ${r.healthLoadedMs ?? "failed"}`,
      r.load,
    ].join(" | ")
  } |`;
}

const cells: Cell[] = [];
const plan: Array<["clawgate" | "openclaw", string, number]> = [];
for (const n of ns) for (const kind of kinds) plan.push(["clawgate", kind, n]);
if (opt.openclaw) { for (const kind of kinds) plan.push(["openclaw", kind, Math.min(...ns)]); }
for (const [gateway, kind, n] of plan) {
  console.error(`[scale table] ${gateway} ${kind} ${n} (load ${loadAverage()}) ...`);
  const cell = await runCell(gateway, kind, n);
  console.error(`[scale table] ${row(cell)}`);
  cells.push(cell);
}
console.log(
  [
    `gateway root: ${opt["gateway-root"] ?? "this checkout"}; idle window ${idleS} s; ` +
    `RSS per session after the idle window; load avg 1/5/15 min at the end of each run`,
    "",
    "| gateway | kind | N | establish s | RSS KiB/session | idle CPU % | event bytes/client | " +
    "health ms empty → loaded | load avg |",
    "|---|---|---|---|---|---|---|---|---|",
    ...cells.map(row),
  ].join("\n"),
);
