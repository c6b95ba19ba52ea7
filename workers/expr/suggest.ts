// "Did you mean" for unknown names.

/**
 * Optimal string alignment distance (the restricted Damerau–Levenshtein
 * distance): insertions, deletions, substitutions and swaps of neighbours.
 * see: https://en.wikipedia.org/wiki/Damerau%E2%80%93Levenshtein_distance#Optimal_string_alignment_distance
 */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  // Three rolling rows: the swap rule looks two rows back.
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2] + 1);
      cur[j] = d;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m];
}

/**
 * The known name closest to `name`, or undefined when none is reasonably close.
 * Case is ignored when measuring (so `Pt` finds `pt` first), and exact-case
 * distance breaks ties. Close means at most one edit per three characters, and
 * fewer edits than the shorter name has characters (so `x` does not suggest `y`).
 */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  let bestExact = Infinity;
  for (const c of candidates) {
    if (c === name) continue;
    const score = editDistance(lower, c.toLowerCase());
    const limit = Math.max(1, Math.floor(Math.max(name.length, c.length) / 3));
    if (score > limit || (score > 0 && score >= Math.min(name.length, c.length))) continue;
    if (score > bestScore) continue;
    const exact = editDistance(name, c);
    if (score < bestScore || exact < bestExact) {
      best = c;
      bestScore = score;
      bestExact = exact;
    }
  }
  return best;
}
