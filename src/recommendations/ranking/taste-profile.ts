import { cosineSimilarity, squaredNorm } from '../../retrieval/diversity';

/**
 * Content-based scoring: how well a candidate dish fits what a user (or an anonymous session)
 * liked and disliked, in the two food spaces. Pure code over plain arrays.
 */

export type SpaceName = 'ingredients' | 'properties';

/** A dish's vectors in the two spaces; either may be missing (a recipe with no known properties). */
export type DishVectors = Partial<Record<SpaceName, ArrayLike<number>>>;

export interface WeightedExample {
  id: string;
  vectors: DishVectors;
  /** Strength of the opinion, > 0 (recency and rating already folded in). */
  weight: number;
}

/**
 * Ingredients say most about what a dish *is*; properties (flavor, method, course, cuisine) carry
 * the "spicy Sichuan stir-fry" that makes people like a family of dishes. Ingredients lead, and
 * properties keep a Sichuan fan on Sichuan dishes when ingredients alone would wander.
 */
export const SPACE_WEIGHTS: Record<SpaceName, number> = { ingredients: 0.6, properties: 0.4 };

/** A disliked dish pushes its neighbours down by this share of their similarity to it. */
export const NEGATIVE_WEIGHT = 0.5;

/** Similarity of two dishes, fused over the spaces both have (weights re-normalised). */
export function dishSimilarity(a: DishVectors, b: DishVectors): number {
  let total = 0;
  let weights = 0;
  for (const space of Object.keys(SPACE_WEIGHTS) as SpaceName[]) {
    const va = a[space];
    const vb = b[space];
    if (!va || !vb) continue;
    total += SPACE_WEIGHTS[space] * cosineSimilarity(va, vb);
    weights += SPACE_WEIGHTS[space];
  }
  return weights === 0 ? 0 : total / weights;
}

/** Weighted mean of unit-length vectors in one space: the direction a profile points to. Null when no example has it. */
export function weightedCentroid(examples: readonly WeightedExample[], space: SpaceName): number[] | null {
  let sum: number[] | null = null;
  let weights = 0;
  for (const example of examples) {
    const vector = example.vectors[space];
    if (!vector || example.weight <= 0) continue;
    const norm = Math.sqrt(squaredNorm(vector));
    if (norm === 0) continue;
    sum ??= new Array<number>(vector.length).fill(0);
    for (let i = 0; i < vector.length && i < sum.length; i++) sum[i] += (example.weight * vector[i]) / norm;
    weights += example.weight;
  }
  return sum && weights > 0 ? sum.map((x) => x / weights) : null;
}

export interface ContentScore {
  score: number;
  /** Positive examples by descending similarity to the candidate, with that similarity. */
  closest: Array<{ id: string; similarity: number }>;
}

/**
 * score = ½ · weighted mean similarity to the liked + ½ · similarity to the nearest liked (scaled
 * by its weight) − NEGATIVE_WEIGHT · similarity to the nearest disliked (scaled by its weight
 * relative to the strongest like). The mean rewards the centre of a taste; the nearest-liked half
 * keeps a user with two tastes (Sichuan and Italian) from being served only dishes in between.
 */
export function contentScore(
  candidate: DishVectors,
  positives: readonly WeightedExample[],
  negatives: readonly WeightedExample[],
): ContentScore {
  const maxPositive = Math.max(0, ...positives.map((p) => p.weight));
  let weightedSum = 0;
  let weights = 0;
  let nearest = 0;
  const closest: ContentScore['closest'] = [];
  for (const positive of positives) {
    if (positive.weight <= 0) continue;
    const similarity = dishSimilarity(candidate, positive.vectors);
    weightedSum += positive.weight * similarity;
    weights += positive.weight;
    nearest = Math.max(nearest, similarity * (positive.weight / maxPositive));
    closest.push({ id: positive.id, similarity });
  }
  const reference = maxPositive > 0 ? maxPositive : Math.max(0, ...negatives.map((n) => n.weight));
  let push = 0;
  for (const negative of negatives) {
    if (negative.weight <= 0 || reference === 0) continue;
    push = Math.max(push, dishSimilarity(candidate, negative.vectors) * Math.min(1, negative.weight / reference));
  }
  const attraction = weights > 0 ? 0.5 * (weightedSum / weights) + 0.5 * nearest : 0;
  closest.sort((a, b) => b.similarity - a.similarity);
  return { score: attraction - NEGATIVE_WEIGHT * push, closest };
}

/**
 * The liked dishes a hit is "because of": the nearest one, plus any other nearly as near (within
 * 90 % of the best), at most `max`.
 */
export function becauseOf(closest: ContentScore['closest'], max = 3): string[] {
  if (closest.length === 0 || closest[0].similarity <= 0) return [];
  const floor = closest[0].similarity * 0.9;
  return closest
    .filter((c) => c.similarity >= floor)
    .slice(0, max)
    .map((c) => c.id);
}
