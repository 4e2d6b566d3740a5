import { ndcgAt } from './metrics';

/**
 * Metrics of a personal ranking against a user's held-out ratings. A ranking is a list of ids,
 * best first; an id the list does not hold ranks below every listed one, and two unlisted ids
 * tie (a pair of them counts half).
 */

/** Rated at least this (1–10) = a dish the person liked: the top 40 % of the scale. */
export const LIKED_RATING = 7;

function positions(ranked: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  ranked.forEach((id, i) => {
    if (!out.has(id)) out.set(id, i);
  });
  return out;
}

/**
 * Pairs of held-out dishes with different ratings, and how many of them the ranking puts the
 * better-rated one first (ties count half). Counts, so runs pool over users.
 */
export function pairwiseCounts(ranked: readonly string[], heldOut: ReadonlyMap<string, number>): { correct: number; pairs: number } {
  const at = positions(ranked);
  const rank = (id: string) => at.get(id) ?? Infinity;
  const items = [...heldOut];
  let correct = 0;
  let pairs = 0;
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const [a, ra] = items[i];
      const [b, rb] = items[j];
      if (ra === rb) continue;
      pairs += 1;
      const [better, worse] = ra > rb ? [a, b] : [b, a];
      if (rank(better) < rank(worse)) correct += 1;
      else if (rank(better) === rank(worse)) correct += 0.5;
    }
  }
  return { correct, pairs };
}

/** NDCG@k and HR@k over the whole ranking, the liked held-out dishes relevant; null when none was liked. */
export function fullRankingAt(
  ranked: readonly string[],
  heldOut: ReadonlyMap<string, number>,
  k: number,
): { ndcg: number; hit: number } | null {
  const gains = new Map([...heldOut].filter(([, r]) => r >= LIKED_RATING).map(([id]) => [id, 1]));
  if (gains.size === 0) return null;
  const top = ranked.slice(0, k);
  return { ndcg: ndcgAt(ranked, gains, k) ?? 0, hit: top.some((id) => gains.has(id)) ? 1 : 0 };
}

/**
 * The sampled protocol: one liked held-out dish among `negatives` the user never rated, ranked
 * by the system's order. Its position counts the negatives ranked before it (a tie half), so
 * NDCG@k = 1/log2(position + 2) and HR@k = position < k.
 */
export function sampledAt(
  ranked: readonly string[],
  positive: string,
  negatives: readonly string[],
  k: number,
): { ndcg: number; hit: number } {
  const at = positions(ranked);
  const rank = (id: string) => at.get(id) ?? Infinity;
  const own = rank(positive);
  let position = 0;
  for (const negative of negatives) {
    const r = rank(negative);
    if (r < own) position += 1;
    else if (r === own) position += 0.5;
  }
  const hit = position < k ? 1 : 0;
  return { ndcg: hit ? 1 / Math.log2(position + 2) : 0, hit };
}
