import { FeatureDocument, rankByJaccard } from '../metrics/jaccard';
import { EvalCatalog } from '../eval-catalog';
import { EvalRecipe } from '../eval-recipe';
import { LabelledQuery } from '../queries/labelled-query';
import { Retriever } from '../retrievers/retriever';

/** A recipe's ingredient set: resolved concept ids, and the cleaned names of ingredients that did not resolve. */
export function ingredientFeatures(recipe: EvalRecipe): Set<string> {
  return new Set([...recipe.concepts, ...recipe.unresolvedIngredients.map((name) => `name:${name}`)]);
}

/**
 * Ingredient baseline: Jaccard overlap of ingredient sets. A text query becomes the ingredient
 * concepts the query parser finds in it; a query naming no ingredient finds nothing. Exclusions,
 * diets and time limits are ignored.
 */
export class JaccardRetriever implements Retriever {
  readonly name = 'ingredient-jaccard';
  private readonly documents: FeatureDocument[];
  private readonly featuresById = new Map<string, Set<string>>();

  constructor(private readonly catalog: EvalCatalog) {
    this.documents = catalog.recipes.map((recipe) => {
      const features = ingredientFeatures(recipe);
      this.featuresById.set(recipe.id, features);
      return { id: recipe.id, features };
    });
  }

  async search(query: LabelledQuery, k: number): Promise<string[]> {
    const parsed = this.catalog.parser.parse(query.q);
    return rankByJaccard(new Set(parsed.ingredients), this.documents, k).map((hit) => hit.id);
  }

  async similar(recipeId: string, k: number): Promise<string[]> {
    return rankByJaccard(this.featuresById.get(recipeId) ?? new Set(), this.documents, k, recipeId).map((hit) => hit.id);
  }
}
