/**
 * `html` tagged templates bound to preact's `h`: JSX-like views with no compile step.
 * @module
 */
import { h, type VNode } from "preact";
import htm from "htm";

type Html = (strings: TemplateStringsArray, ...values: unknown[]) => VNode;
// htm's typings declare an ES default export, but Deno types the npm package as CommonJS; the
// bundled module is the ES build, whose default export is the `htm` object with `bind`.
const htmFn = htm as unknown as { bind(h: unknown): Html };

/** Tagged template that builds preact vnodes. */
export const html: Html = htmFn.bind(h);

/** `12 s`, `3 min`, `2 h 5 min`, `4 d` for a duration in milliseconds. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d`;
}

/** `5 s ago` for an epoch-ms time, `never` when absent. */
export function formatAgo(ts: number | undefined, now = Date.now()): string {
  return typeof ts === "number" ? `${formatDuration(now - ts)} ago` : "never";
}
