/**
 * "Did you mean …?" for mistyped command and flag names: the closest candidate by edit distance
 * (optimal string alignment: insert, delete, substitute, swap two neighbours), if it is close
 * enough to be a typo.
 * @module
 */

/** Edit distance between `a` and `b` (a transposition of neighbours counts as one edit). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidate closest to `word`, when at most 3 edits away and at least 40% of the longer
 * name is unchanged; undefined otherwise.
 *
 * @example
 * ```ts
 * import { closestName } from "./suggest.ts";
 * console.assert(closestName("--tmeout", ["--timeout", "--url"]) === "--timeout");
 * console.assert(closestName("zzz", ["health", "status"]) === undefined);
 * ```
 */
export function closestName(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const c of candidates) {
    const distance = editDistance(word, c);
    const length = Math.max(word.length, c.length);
    if (distance < bestDistance && (length - distance) / length > 0.4) {
      best = c;
      bestDistance = distance;
    }
  }
  return best;
}
