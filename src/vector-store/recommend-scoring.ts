/**
 * Recommendation scoring as Qdrant 1.18 does it, shared by the embedded store and the Qdrant
 * stub so both answer what the server answers. Read from Qdrant's sources at v1.18.0:
 * segment `vector_storage/query/reco_query.rs`, `common/math.rs`, `spaces/simple.rs`,
 * collection `recommendations.rs`.
 */

/**
 * Qdrant's "scaled fast sigmoid", x / (1 + |x|) mapped onto (0, 1). Not the logistic function:
 * Qdrant avoids the exponent, and the values differ (0.75 at x = 1, where the logistic gives 0.73).
 */
export function scaledFastSigmoid(x: number): number {
  return 0.5 * (x / (1 + Math.abs(x)) + 1);
}

/**
 * best_score: p = best similarity to a positive, n = best to a negative (-Infinity when there
 * are none). A candidate closer to a positive scores sigmoid(p) in (0, 1); otherwise, ties
 * included, -sigmoid(n) in (-1, 0), so every candidate nearer a negative ranks below every
 * candidate nearer a positive.
 *
 * Similarity is Qdrant's internal one, higher = closer: the dot product for dot and cosine
 * (unit vectors), and for Euclid the NEGATED SQUARED distance (see `recommendSimilarity`).
 * Qdrant does not post-process these scores, on any distance.
 */
export function bestScore(bestPositive: number, bestNegative: number): number {
  return bestPositive > bestNegative ? scaledFastSigmoid(bestPositive) : -scaledFastSigmoid(bestNegative);
}

/** Qdrant's internal similarity for custom (recommend) scoring, from the port's hit score. */
export function recommendSimilarity(distance: 'cosine' | 'dot' | 'euclid', hitScore: number): number {
  // The port reports Euclid as -distance; Qdrant scores -distance² and never takes the root here.
  return distance === 'euclid' ? -(hitScore * hitScore) : hitScore;
}

/**
 * average_vector: the query vector avg(pos) + (avg(pos) - avg(neg)), or avg(pos) without
 * negatives, over the examples AS GIVEN: raw vectors are not normalised first (stored vectors of
 * a cosine collection already are). The caller normalises the result for cosine, as Qdrant
 * does with any nearest-neighbour query.
 */
export function averageVectorQuery(positives: ReadonlyArray<ArrayLike<number>>, negatives: ReadonlyArray<ArrayLike<number>>): number[] {
  if (positives.length === 0) throw new RangeError('average_vector needs at least one positive example');
  const mean = (vectors: ReadonlyArray<ArrayLike<number>>): number[] => {
    const out = new Array<number>(vectors[0].length).fill(0);
    for (const v of vectors) for (let j = 0; j < out.length; j++) out[j] += v[j];
    return out.map((x) => x / vectors.length);
  };
  const pos = mean(positives);
  if (negatives.length === 0) return pos;
  const neg = mean(negatives);
  return pos.map((p, j) => p + p - neg[j]);
}
