import { maximalMarginalRelevance, Vector } from '../../retrieval/diversity';
import { byUser, recipePreferences } from './preference-signals';
import { InteractionSignal } from '../../users/user-interaction.types';

/**
 * What to show someone we know nothing about: what everyone likes, spread out so it is not ten
 * versions of one dish; when nobody has liked anything yet, a diverse sample of the catalog.
 */

/**
 * Popularity: the sum over users of their recency-weighted preference for the recipe (likes,
 * cooked and good ratings add, dislikes and poor ratings subtract), one vote per user and recipe.
 */
export function popularityScores(interactions: readonly InteractionSignal[], now: number): Map<string, number> {
  const scores = new Map<string, number>();
  for (const signals of byUser(interactions).values()) {
    for (const [recipeId, preference] of recipePreferences(signals, now)) {
      scores.set(recipeId, (scores.get(recipeId) ?? 0) + preference.weight);
    }
  }
  return scores;
}

export interface ColdStartCandidate {
  id: string;
  /** Ingredients vector: what "diverse" is measured on. */
  vector: Vector;
  /** From popularityScores; 0 or absent for catalog fill. */
  popularity?: number;
  /** 0–1 plausibility of a catalog dish as a first suggestion (a main dish over a condiment). */
  prior: number;
}

/** Catalog categories that make poor first suggestions: parts of dishes rather than dishes. */
const SIDE_CATEGORIES = new Set(['condiment', 'semi-finished', 'drink']);

/** A plain prior for catalog fill: real dishes with a few ingredients first. */
export function catalogPrior(recipe: { category: string | null; ingredientCount: number }): number {
  if (recipe.category && SIDE_CATEGORIES.has(recipe.category)) return 0.1;
  return recipe.ingredientCount >= 3 ? 0.5 : 0.3;
}

/**
 * Picks `k` by maximal marginal relevance. Any popular dish outranks catalog fill (relevance
 * 1 + scaled popularity against the fill's prior ≤ 0.5), and `diversity` trades popularity for
 * spread as everywhere else. Dishes with net negative popularity are left out.
 */
export function coldStartPicks(candidates: readonly ColdStartCandidate[], k: number, diversity: number): string[] {
  const usable = candidates.filter((c) => (c.popularity ?? 0) >= 0);
  const peak = Math.max(0, ...usable.map((c) => c.popularity ?? 0)) || 1;
  return maximalMarginalRelevance(
    usable.map((c) => ({
      item: c.id,
      relevance: (c.popularity ?? 0) > 0 ? 1 + (c.popularity as number) / peak : c.prior,
      vector: c.vector,
    })),
    k,
    diversity,
  );
}
