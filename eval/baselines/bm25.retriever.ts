import { Bm25Index, bm25Tokens } from '../metrics/bm25';
import { EvalCatalog } from '../eval-catalog';
import { EvalRecipe } from '../eval-recipe';
import { LabelledQuery } from '../queries/labelled-query';
import { Retriever } from '../retrievers/retriever';

/** What BM25 reads of a recipe: its name, ingredient names and tags. */
export function bm25DocumentText(recipe: EvalRecipe): string {
  return [recipe.name, ...recipe.ingredientNames, ...recipe.tags].join(' ');
}

/**
 * Lexical baseline: BM25 (k1 1.2, b 0.75) over name + ingredients + tags, Chinese as character
 * bigrams, English as lower-case words. The query text goes in whole, negations included: it
 * honours no constraint beyond what its scoring happens to give.
 */
export class Bm25Retriever implements Retriever {
  readonly name = 'bm25';
  private readonly index: Bm25Index;
  private readonly tokensById = new Map<string, string[]>();

  constructor(catalog: EvalCatalog) {
    for (const recipe of catalog.recipes) this.tokensById.set(recipe.id, bm25Tokens(bm25DocumentText(recipe)));
    this.index = new Bm25Index(catalog.recipes.map((r) => ({ id: r.id, tokens: this.tokensById.get(r.id) ?? [] })));
  }

  async search(query: LabelledQuery, k: number): Promise<string[]> {
    return this.index.search(bm25Tokens(query.q), k).map((hit) => hit.id);
  }

  /** The recipe's own text as the query. */
  async similar(recipeId: string, k: number): Promise<string[]> {
    return this.index.search(this.tokensById.get(recipeId) ?? [], k, recipeId).map((hit) => hit.id);
  }
}
