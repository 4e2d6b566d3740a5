import { NamedVectors } from '../embedding/embedding.types';
import { DEFAULT_RRF_K } from '../vector-store/rrf-fusion';
import { HybridQuery, RecipeFilter, VectorHit, VectorStore } from '../vector-store/vector-store.port';

/**
 * Candidates taken from the fused vector ranking before re-ranking and the floor. Measured on the
 * bundled catalog: 200 → 128 cuts a search from 2.9 to 2.3 ms for NDCG@10 0.862 → 0.860 (npm run eval).
 */
export const SEARCH_POOL = 128;

/**
 * Leg weights for reciprocal rank fusion. Ingredients carry what a dish is; the sparse terms leg
 * carries the exact words and concept ids (names, rare ingredients) the dense spaces blur;
 * properties (flavor, method, course, cuisine) refine; a sentence-model text space, when there
 * is one, adds paraphrase recall but knows nothing of the food hierarchy.
 */
export const LEG_WEIGHTS = { ingredients: 1, terms: 0.8, properties: 0.6, text: 0.5 } as const;

export type HybridLeg = HybridQuery['legs'][number];

/** One leg per space the query has a vector in: a space the query says nothing about is skipped. */
export function hybridLegs(vectors: NamedVectors, weights: Partial<Record<keyof typeof LEG_WEIGHTS, number>> = LEG_WEIGHTS): HybridLeg[] {
  const legs: HybridLeg[] = [];
  const add = (using: HybridLeg['using'], vector: HybridLeg['vector'] | undefined, weight: number | undefined) => {
    if (vector && weight && weight > 0) legs.push({ using, vector, weight });
  };
  add('ingredients', vectors.dense.ingredients, weights.ingredients);
  add('terms', vectors.sparse && vectors.sparse.indices.length > 0 ? vectors.sparse : undefined, weights.terms);
  add('properties', vectors.dense.properties, weights.properties);
  add('text', vectors.dense.text, weights.text);
  return legs;
}

/**
 * The fused candidates a search-like ranking re-scores: SEARCH_POOL from each leg, `pool` of
 * them fused (see rankedThrough); none without a leg.
 */
export function fusedPool(store: VectorStore, legs: HybridLeg[], filter: RecipeFilter, pool: number): Promise<VectorHit[]> {
  if (legs.length === 0) return Promise.resolve([]);
  return store.hybrid({ legs, filter, limit: pool, candidates: SEARCH_POOL, withPayload: false });
}

/** Every candidate the legs can give: SEARCH_POOL each, so the whole fused list, and as many name matches. */
export function deepPoolSize(legs: readonly HybridLeg[]): number {
  return SEARCH_POOL * Math.max(1, legs.length);
}

/**
 * One list that every page is a slice of, whatever its offset and size: the ranking of the first
 * SEARCH_POOL candidates, then, once a page reaches past what it folds to (`fold`: copies of a
 * dish become one result), what the ranking of every candidate (`deep`) adds, in its order; for
 * a narrow query, the first ranking alone (see below). Ranked afresh at the depth a page
 * reached, a deeper page re-ordered the dishes before it (a dish covering every ingredient from
 * low in the fused list moved ahead of ones already shown): walking "chicken" in pages of 10
 * gave 115 recipes, in pages of 100 131, in another order after the 100th; similar-mode pages
 * of 9 repeated 7 dishes.
 */
export async function rankedThrough<T, F>(
  end: number,
  deep: number,
  rankAt: (pool: number) => Promise<readonly T[]>,
  idOf: (item: T) => string,
  fold: (ranked: readonly T[]) => readonly F[],
): Promise<readonly F[]> {
  const first = await rankAt(SEARCH_POOL);
  // Pages are cut from the folded list: compared with the ranked one, a page of 4 at offset 124
  // of 128 candidates folding to 124 dishes found nothing, while a page of 5 went deeper.
  const folded = fold(first);
  // A query whose first ranking keeps fewer than half its candidates is a narrow one (a rare
  // word, tight filters): the rest fell below the floor, and the deeper candidates, further
  // still, would too. Its list ends there, on every page alike. Ranked deeper, every such first
  // page paid a second, three times larger ranking: one client on the scale bench's search
  // queries at 100,000 recipes, p99 8.8–10.4 ms against 6.3–7.1 before paging went deeper.
  if (end <= folded.length || deep <= SEARCH_POOL || folded.length < SEARCH_POOL / 2) return folded;
  const shown = new Set(first.map(idOf));
  return fold([...first, ...(await rankAt(deep)).filter((item) => !shown.has(idOf(item)))]);
}

/** The best fused score possible: first in every leg. Used to bring RRF scores onto 0–1. */
export function maxFusedScore(legs: readonly HybridLeg[], k: number = DEFAULT_RRF_K): number {
  return legs.reduce((sum, leg) => sum + (leg.weight ?? 1) / (k + 1), 0);
}
