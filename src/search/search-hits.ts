import { ExplanationBuilder } from '../retrieval/explanation';
import { Explanation, RankedHit } from '../retrieval/ranked-hit';
import { CatalogRecipe, neededIngredients } from './catalog-recipe';

/** What a hit is explained against: the wanted concepts and words, and the user's text. */
export interface HitContext {
  ingredients: readonly string[];
  properties?: readonly string[];
  cuisines?: readonly string[];
  categories?: readonly string[];
  diets?: readonly string[];
  freeText?: readonly string[];
  queryText?: string;
}

/** Scores are rounded so equal ranks read as equal and responses stay small. */
export function roundScore(score: number): number {
  return Math.round(score * 1e6) / 1e6;
}

export function explain(builder: ExplanationBuilder, recipe: CatalogRecipe, context: HitContext): Explanation {
  return {
    matchedIngredients: builder.matchedIngredients(neededIngredients(recipe), context.ingredients),
    matchedTerms: builder.matchedTerms(
      {
        properties: context.properties,
        cuisines: context.cuisines,
        categories: context.categories,
        diets: context.diets,
        freeText: context.freeText,
        queryText: context.queryText,
      },
      {
        name: recipe.summary.name,
        category: recipe.summary.category,
        cuisine: recipe.summary.cuisine,
        diets: recipe.summary.diets,
        propertyConcepts: recipe.propertyConcepts,
      },
    ),
  };
}

export function toHit(recipe: CatalogRecipe, score: number, why: Explanation): RankedHit {
  return { recipe: recipe.summary, score: roundScore(score), why };
}
