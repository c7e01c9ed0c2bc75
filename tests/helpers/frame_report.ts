/**
 * Summaries of wire-conformance results: per frame kind, how many frames were seen and which
 * schema each part was checked against (upstream and clawgate), the parts no published schema
 * covers, and every failure or disagreement named by schema.
 * @module
 */
import type { CheckResult } from "./frame_checks.ts";

/** Per frame kind: frames seen and the schemas each part met. */
export interface KindSummary {
  kind: string;
  frames: number;
  /** `part → upstream schema` (or `none published`). */
  upstream: Record<string, string>;
  /** `part → schema` (or `none`). */
  own: Record<string, string>;
}

/** The whole report. */
export interface ConformanceReport {
  frames: number;
  kinds: KindSummary[];
  /** Parts with no published upstream schema, as `kind part`. */
  unmatched: string[];
  /** Upstream rejections: `kind part: Schema: errors`. */
  upstreamFailures: string[];
  /** clawgate-schema rejections: `kind part: Schema: errors`. */
  ownFailures: string[];
  /** Where exactly one side accepts: `kind part: clawgate X accepts, upstream Y rejects …`. */
  disagreements: string[];
}

const partKey = (part: string) => part.replace(/\[\d+\]/g, "[]");

/** Builds the report from check results. */
export function summarize(results: readonly CheckResult[]): ConformanceReport {
  const kinds = new Map<string, KindSummary & { seen: Set<number> }>();
  const unmatched = new Set<string>();
  const report: ConformanceReport = {
    frames: new Set(results.map((r) => r.frame)).size,
    kinds: [],
    unmatched: [],
    upstreamFailures: [],
    ownFailures: [],
    disagreements: [],
  };
  for (const r of results) {
    let k = kinds.get(r.kind);
    if (!k) {
      kinds.set(r.kind, k = { kind: r.kind, frames: 0, upstream: {}, own: {}, seen: new Set() });
    }
    if (!k.seen.has(r.frame)) k.frames++, k.seen.add(r.frame);
    const key = partKey(r.part);
    const published = r.upstream && r.upstreamOk !== "missing";
    k.upstream[key] = published ? r.upstream! : "none published";
    k.own[key] = r.own ?? "none";
    if (!published) unmatched.add(`${r.kind} ${key}${r.upstream ? ` (no ${r.upstream})` : ""}`);
    const at = `${r.kind} ${r.part} (frame ${r.frame})`;
    if (published && r.upstreamOk === false) {
      report.upstreamFailures.push(`${at}: ${r.upstream}: ${r.upstreamErrors?.join("; ")}`);
    }
    if (r.own && r.ownOk === false) {
      report.ownFailures.push(`${at}: ${r.own}: ${r.ownErrors?.join("; ")}`);
    }
    if (published && r.own && typeof r.upstreamOk === "boolean" && r.upstreamOk !== r.ownOk) {
      report.disagreements.push(
        `${at}: clawgate ${r.own} ${r.ownOk ? "accepts" : "rejects"}, upstream ${r.upstream} ${
          r.upstreamOk ? "accepts" : "rejects"
        }`,
      );
    }
  }
  report.kinds = [...kinds.values()].map(({ seen: _seen, ...k }) => k)
    .sort((a, b) => a.kind.localeCompare(b.kind));
  report.unmatched = [...unmatched].sort();
  return report;
}

/** Human text of a report: one line per kind, then unmatched parts and failures. */
export function formatReport(title: string, r: ConformanceReport): string {
  const lines = [`== ${title}: ${r.frames} frames, ${r.kinds.length} kinds`];
  for (const k of r.kinds) {
    const parts = Object.keys(k.upstream).map((p) =>
      `${p}→${k.upstream[p]}${k.own[p] === k.upstream[p] ? "" : ` / clawgate ${k.own[p]}`}`
    );
    lines.push(`  ${k.kind} ×${k.frames}: ${parts.join(", ")}`);
  }
  if (r.unmatched.length) {
    lines.push(`  no published upstream schema (envelope checked only):`);
    for (const u of r.unmatched) lines.push(`    ${u}`);
  }
  for (
    const [name, list] of [
      ["upstream rejects", r.upstreamFailures],
      ["clawgate rejects", r.ownFailures],
      ["clawgate and upstream disagree", r.disagreements],
    ] as const
  ) {
    if (list.length) lines.push(`  ${name}:`, ...list.map((l) => `    ${l}`));
  }
  return lines.join("\n");
}
