/**
 * Diversity as the design note frames it: the spread of similarities. Pure code over plain
 * arrays so the rankers stay testable without Nest.
 */

export type Vector = ArrayLike<number>;

export function cosineSimilarity(a: Vector, b: Vector): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Mean pairwise cosine distance (1 − cosine) of a list; 0 for fewer than two items. */
export function intraListDiversity(vectors: Vector[]): number {
  let total = 0;
  let pairs = 0;
  for (let i = 0; i < vectors.length; i++) {
    for (let j = i + 1; j < vectors.length; j++) {
      total += 1 - cosineSimilarity(vectors[i], vectors[j]);
      pairs++;
    }
  }
  return pairs === 0 ? 0 : total / pairs;
}

export interface MmrCandidate<T> {
  item: T;
  /** Relevance to the request, higher is better (any scale: it is min–max normalised). */
  relevance: number;
  vector: Vector;
}

/**
 * Maximal marginal relevance: picks, one at a time, the candidate maximising
 * (1 − diversity) · relevance − diversity · max similarity to what was already picked.
 * `diversity` 0 keeps the relevance order; 1 spreads as far as possible.
 */
export function maximalMarginalRelevance<T>(candidates: MmrCandidate<T>[], k: number, diversity: number): T[] {
  if (candidates.length === 0 || k <= 0) return [];
  const lambda = 1 - Math.min(1, Math.max(0, diversity));
  const rel = candidates.map((c) => c.relevance);
  const min = Math.min(...rel);
  const span = Math.max(...rel) - min || 1;
  const normalised = rel.map((r) => (r - min) / span);

  const picked: number[] = [];
  const maxSimToPicked = new Float64Array(candidates.length).fill(-Infinity);
  const used = new Uint8Array(candidates.length);
  while (picked.length < Math.min(k, candidates.length)) {
    let best = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < candidates.length; i++) {
      if (used[i]) continue;
      const redundancy = picked.length === 0 ? 0 : maxSimToPicked[i];
      const score = lambda * normalised[i] - (1 - lambda) * redundancy;
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    used[best] = 1;
    picked.push(best);
    for (let i = 0; i < candidates.length; i++) {
      if (used[i]) continue;
      const sim = cosineSimilarity(candidates[i].vector, candidates[best].vector);
      if (sim > maxSimToPicked[i]) maxSimToPicked[i] = sim;
    }
  }
  return picked.map((i) => candidates[i].item);
}
