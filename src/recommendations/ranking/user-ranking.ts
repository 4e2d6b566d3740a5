/**
 * How the parts of a personal score add up. Every part is on the scale of a centred preference
 * (−1 … 1, 0 = "as good as the user's average dish"), so they add without rescaling.
 *
 * - `personal`: the user's own taste model (TasteRegression) over dense vectors and catalog concepts.
 * - `prior`: what everyone else thinks of the dish (itemPriors).
 * - `collaborative`: what users who agree with this one think (userBasedScores).
 * - `domain` (0–1): whether the dish belongs to the user's world, liked or not: close to the
 *   dishes they have opinions on (content), or one others have opinions on together with those
 *   (co-interaction). Someone who rated twenty Italian dishes wants the next Italian dish before
 *   a random curry, even one with a neutral prediction. It saturates at 1 so that inside that
 *   world taste alone decides the order: an unsaturated mean similarity, tried first, cost
 *   pairwise accuracy (0.573 → 0.548 at weight 0.5 → 5) because it ranks "typical" dishes
 *   rather than liked ones.
 * - `stated`: the cuisines and ingredients they said they like or dislike.
 */
export interface ScoreParts {
  personal: number;
  prior: number;
  collaborative: number;
  domain: number;
  together: number;
  stated: number;
}

/**
 * Weights chosen on the Italian survey (`npm run eval`: 27 respondents, 16 ratings each stored,
 * 5 held out, 5 seeded splits; service pairwise accuracy / NDCG@10):
 * - domain 0.5 / 1 / 3 → 0.577 / 0.573 / 0.551 and held-out dishes in the top 100 0.85 / 1.00 /
 *   1.00: 1 is the smallest weight that keeps every considered dish reachable.
 * - together (unsaturated co-interaction, the item–item signal) 0 / 0.2 / 0.5 → NDCG@10 0.135 /
 *   0.288 / 0.470 at pairwise 0.573 / 0.577 / 0.569: it finds the liked dishes of a user's world
 *   (EASE 0.174, popularity 0.058) and costs little order.
 * - prior 0.5: everyone's opinion, as strong as in the prototype of this model, where 0, 0.5,
 *   1 and 2 gave 0.571, 0.603, 0.595 and 0.589.
 */
export const USER_WEIGHTS = {
  prior: 0.5,
  domain: 1,
  together: 0.5,
  /** At most this share for user-user neighbours, reached as shared evidence grows (collaborativeWeight). */
  collaborativeMax: 0.3,
  stated: 0.3,
} as const;

export type ScoreWeights = { prior: number; domain: number; together: number; collaborative: number; stated: number };

/** Content side of `domain`: affinity relative to how alike the user's own dishes are, cubed so it falls off fast outside. */
export function contentDomain(affinity: number, typicalAffinity: number): number {
  if (typicalAffinity <= 0) return 0;
  return Math.min(1, Math.max(0, affinity / typicalAffinity)) ** 3;
}

export function userScore(parts: ScoreParts, weights: ScoreWeights): number {
  return (
    parts.personal +
    weights.prior * parts.prior +
    weights.collaborative * parts.collaborative +
    weights.domain * parts.domain +
    weights.together * parts.together +
    weights.stated * parts.stated
  );
}

/**
 * Stated tastes as a score: +1 per liked cuisine or ingredient the dish has, −1 per disliked one,
 * squashed so five liked ingredients do not count five times as much as one.
 */
export function statedScore(
  dish: { concepts: readonly string[]; cuisine: string | null; properties: readonly string[] },
  stated: {
    likedCuisines: readonly string[];
    likedIngredients: readonly string[];
    dislikedCuisines: readonly string[];
    dislikedIngredients: readonly string[];
  },
): number {
  // A regional cuisine is a property of the dish ("north-indian"); its cuisine field is the broad one.
  const cuisineMatch = (ids: readonly string[]) =>
    (dish.cuisine !== null && ids.includes(dish.cuisine)) || ids.some((id) => dish.properties.includes(id)) ? 1 : 0;
  const ingredientMatches = (ids: readonly string[]) => ids.filter((id) => dish.concepts.includes(id)).length;
  const raw =
    cuisineMatch(stated.likedCuisines) +
    ingredientMatches(stated.likedIngredients) -
    cuisineMatch(stated.dislikedCuisines) -
    ingredientMatches(stated.dislikedIngredients);
  return Math.tanh(raw);
}
