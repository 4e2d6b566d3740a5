/**
 * Ranking metrics for the retrieval evaluation. Pure functions over ranked id lists, so the
 * numbers depend only on the rankings and the relevance judgements.
 */

/** Graded relevance per id: 2 = matches every part of the request, 1 = partly; absent = 0. */
export type Gains = ReadonlyMap<string, number>;

/** Discounted cumulative gain of the first k results, with exponential gain (2^g - 1) / log2(rank + 1). */
export function dcgAt(ranked: readonly string[], gains: Gains, k: number): number {
  let sum = 0;
  const top = ranked.slice(0, k);
  for (let i = 0; i < top.length; i++) sum += gainValue(gains.get(top[i]) ?? 0) / Math.log2(i + 2);
  return sum;
}

/** DCG normalised by the best possible ordering of every judged id; null when nothing is relevant. */
export function ndcgAt(ranked: readonly string[], gains: Gains, k: number): number | null {
  const ideal = [...gains.values()]
    .filter((g) => g > 0)
    .sort((a, b) => b - a)
    .slice(0, k);
  let idcg = 0;
  for (let i = 0; i < ideal.length; i++) idcg += gainValue(ideal[i]) / Math.log2(i + 2);
  return idcg === 0 ? null : dcgAt(ranked, gains, k) / idcg;
}

/** Relevant share of the first k slots; slots a short list leaves empty count as misses. */
export function precisionAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  return hitsAt(ranked, relevant, k) / k;
}

/** Share of all relevant ids found in the first k results; null when nothing is relevant. */
export function recallAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number | null {
  return relevant.size === 0 ? null : hitsAt(ranked, relevant, k) / relevant.size;
}

/** Violating results among the first k returned: counts, so groups can be pooled over queries. */
export function violationsAt(
  ranked: readonly string[],
  violates: (id: string) => boolean,
  k: number,
): { violations: number; returned: number } {
  const top = ranked.slice(0, k);
  return { violations: top.filter(violates).length, returned: top.length };
}

/** Mean of the defined values; null when there are none. */
export function meanOf(values: ReadonlyArray<number | null>): number | null {
  const defined = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return defined.length === 0 ? null : defined.reduce((a, b) => a + b, 0) / defined.length;
}

function hitsAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  return new Set(ranked.slice(0, k).filter((id) => relevant.has(id))).size;
}

function gainValue(grade: number): number {
  return 2 ** grade - 1;
}
