import { RecipeSummary } from '../recipes/recipe.types';

/** Why a recipe matched, in data: what a client can show next to the hit. */
export interface Explanation {
  /** The recipe's own ingredient names that match what was asked for. */
  matchedIngredients: string[];
  /** Query words or properties (flavor, method, course, cuisine, diet) that matched. */
  matchedTerms: string[];
  /** Pantry mode: non-staple ingredients the cook does not have. */
  missingIngredients?: string[];
  /** Set when the same dish (same name) from another source was folded into this hit. */
  alsoIn?: Array<{ id: string; source: string }>;
  /** Recommendations: liked recipes this hit is closest to. */
  becauseYouLiked?: string[];
}

export interface RankedHit {
  recipe: RecipeSummary;
  score: number;
  why: Explanation;
}

/** A ranked list page; `diversity` is the mean pairwise distance of the returned items (0–2 for cosine). */
export interface RankedPage {
  items: RankedHit[];
  total: number;
  limit: number;
  offset: number;
  diversity?: number;
}
