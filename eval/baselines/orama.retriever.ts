import { EvalCatalog } from '../eval-catalog';
import { LabelledQuery } from '../queries/labelled-query';
import { Retriever } from '../retrievers/retriever';
import { OramaCatalog } from './orama-catalog';

/**
 * Orama's full-text search (see OramaCatalog): the query text as the term, the query's explicit
 * filters as `where` clauses; "more like this" searches the recipe's name and ingredients.
 */
export class OramaRetriever implements Retriever {
  readonly name = 'orama';
  private readonly index: OramaCatalog;
  private readonly textById = new Map<string, string>();

  constructor(catalog: EvalCatalog) {
    this.index = OramaCatalog.build(
      catalog.recipes.map((recipe) => ({
        id: recipe.id,
        name: recipe.name,
        ingredients: recipe.ingredientNames,
        tags: recipe.tags,
        category: recipe.category,
        cuisine: recipe.cuisine,
        diets: recipe.derivedDiets,
        totalMinutes: recipe.totalMinutes,
      })),
    );
    for (const recipe of catalog.recipes) this.textById.set(recipe.id, [recipe.name, ...recipe.ingredientNames].join(' '));
  }

  async search(query: LabelledQuery, k: number): Promise<string[]> {
    return this.index.search(query.q, k, query.filters);
  }

  async similar(recipeId: string, k: number): Promise<string[]> {
    return this.index
      .search(this.textById.get(recipeId) ?? '', k + 1)
      .filter((id) => id !== recipeId)
      .slice(0, k);
  }
}
