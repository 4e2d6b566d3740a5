/** One leg's ranking, best first, and how much the leg counts. */
export interface RankedLeg<K> {
  keys: readonly K[];
  weight?: number;
}

export const DEFAULT_RRF_K = 60;

/**
 * Reciprocal rank fusion: score(d) = Σ_legs weight / (k + rank), rank counted from 1.
 * Only ranks matter, so legs with incomparable scores (cosine vs BM25) fuse cleanly.
 * Ties keep first-seen order (leg order, then rank) so results are deterministic.
 *
 * Qdrant's `{"rrf": {"k", "weights"}}` takes the same parameter names but not the same formula:
 * it scores 1 / (rank / weight + k - 1). The Qdrant adapter fuses here rather than there (see
 * QdrantVectorStore.hybrid).
 */
export function fuseReciprocalRank<K>(legs: ReadonlyArray<RankedLeg<K>>, k: number = DEFAULT_RRF_K): Array<{ key: K; score: number }> {
  const scores = new Map<K, number>();
  for (const leg of legs) {
    const weight = leg.weight ?? 1;
    leg.keys.forEach((key, position) => {
      scores.set(key, (scores.get(key) ?? 0) + weight / (k + position + 1));
    });
  }
  const fused = [...scores].map(([key, score], order) => ({ key, score, order }));
  fused.sort((a, b) => b.score - a.score || a.order - b.order);
  return fused.map(({ key, score }) => ({ key, score }));
}
