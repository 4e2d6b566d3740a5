import { dot as dotF32 } from '../vector-store/embedded/dot-kernel';

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

/** Σ x², summed as cosineSimilarity sums it. */
export function squaredNorm(a: Vector): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * a[i];
  return sum;
}

/**
 * cosineSimilarity with both squared lengths known (squaredNorm): the same cosine from a third
 * of the multiplications, its dot product kept in four running sums (as the store's float32
 * `dot` keeps them, dot-kernel.ts) so the additions do not wait on each other; it may differ
 * from cosineSimilarity's in the last bits. Vectors of different lengths fall back to
 * cosineSimilarity, which compares their common prefix.
 */
export function cosineWithSquaredNorms(a: Vector, b: Vector, aSquared: number, bSquared: number): number {
  if (a.length !== b.length) return cosineSimilarity(a, b);
  return aSquared === 0 || bSquared === 0 ? 0 : dotProduct(a, b) / Math.sqrt(aSquared * bSquared);
}

/**
 * Σ a[i]·b[i] over the common prefix in four running sums, the order of the store's float32
 * `dot` (dot-kernel.ts): what the rankers' float32-only loops stand for with any arrays.
 */
export function dotProduct(a: Vector, b: Vector): number {
  const n = Math.min(a.length, b.length);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return s0 + s1 + s2 + s3;
}

/**
 * squaredNorm and the dot product of cosineWithSquaredNorms, for float32 vectors only: what the
 * vector store hands out, and all MMR and the taste model compare in a list. V8 specialises each
 * array read in a loop to the kinds of arrays it has seen there, and the generic functions above
 * also see plain arrays and float64 arrays: after that they read float32 vectors 2–5 times
 * slower. Squared lengths of 250 float32 vectors of 192 (node 20, this 2-core machine): 0.05 ms
 * in a loop that has only seen float32 arrays, 0.14–0.34 ms in one that has also seen plain or
 * float64 arrays, 1.5 ms in one that has seen five kinds. The sums are added in the same order
 * as the generic functions', so the results are the same to the bit.
 */
export function squaredNormF32(a: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * a[i];
  return sum;
}

/** cosineWithSquaredNorms of two float32 vectors, through the store's float32 `dot` (the same sums in the same order). */
function cosineF32(a: Float32Array, b: Float32Array, aSquared: number, bSquared: number): number {
  if (a.length !== b.length) return cosineSimilarity(a, b);
  return aSquared === 0 || bSquared === 0 ? 0 : dotF32(a, 0, b, a.length) / Math.sqrt(aSquared * bSquared);
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
  /** The vector's squared length when the caller has it (summed as squaredNorm sums it); else summed here. */
  squaredNorm?: number;
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

  // Each candidate's length once, not once per pick: at 100,000 recipes a user list re-ranks
  // ~250 candidates for 10 picks, and this loop was 1.5 ms of its CPU time in a profile.
  // Float32 vectors (the store's) go through the float32-only loops above.
  const float32 = candidates.every((c) => c.vector instanceof Float32Array);
  const norms = candidates.map((c) => c.squaredNorm ?? (float32 ? squaredNormF32(c.vector as Float32Array) : squaredNorm(c.vector)));
  const picked: number[] = [];
  const used = new Uint8Array(candidates.length);
  const wanted = Math.min(k, candidates.length);
  // Lazily: a candidate's redundancy is its highest similarity to the picks, which only grows
  // once there is a pick, so a score worked out against some of the picks bounds the true one
  // from above. Each round takes the best bound, brings it up to date, and picks it once it is
  // both current and still the best (the lower index on equal scores, as a full pass would).
  // The same picks as comparing every candidate with every pick; a user list at 100,000 recipes
  // compared ~250 candidates with 9 picks, 8% of its CPU in a profile.
  const redundancy = new Float64Array(candidates.length).fill(-Infinity);
  const folded = new Int32Array(candidates.length);
  const bound = normalised.map((n) => lambda * n);
  const fold = (i: number) => {
    for (; folded[i] < picked.length; folded[i]++) {
      const p = picked[folded[i]];
      const sim = float32
        ? cosineF32(candidates[i].vector as Float32Array, candidates[p].vector as Float32Array, norms[i], norms[p])
        : cosineWithSquaredNorms(candidates[i].vector, candidates[p].vector, norms[i], norms[p]);
      if (sim > redundancy[i]) redundancy[i] = sim;
    }
    bound[i] = lambda * normalised[i] - (1 - lambda) * redundancy[i];
  };
  while (picked.length < wanted) {
    for (;;) {
      let best = -1;
      for (let i = 0; i < candidates.length; i++) if (!used[i] && (best < 0 || bound[i] > bound[best])) best = i;
      if (folded[best] === picked.length) {
        used[best] = 1;
        picked.push(best);
        break;
      }
      fold(best);
    }
    // After the first pick every bound must count it: before it, redundancy is 0, not −∞.
    if (picked.length === 1 && wanted > 1) for (let i = 0; i < candidates.length; i++) if (!used[i]) fold(i);
  }
  return picked.map((i) => candidates[i].item);
}
