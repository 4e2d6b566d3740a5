import { create, insertMultiple, search, type Orama, type Tokenizer } from '@orama/orama';

/**
 * Orama (https://orama.com, Apache-2.0) as a TypeScript developer would set it up for this
 * catalog: one in-process full-text index (BM25) over name, ingredients and tags, with Orama's
 * own Mandarin tokenizer (`@orama/tokenizers`, word segmentation by `Intl.Segmenter`; the
 * default tokenizer drops Chinese text altogether), and the explicit filters it can express as
 * `where` clauses: category, cuisine, diets (all of them) and a time limit. It has no negation,
 * so exclusions are not applied. Shared by the retrieval evaluation and the scale bench.
 */
export interface OramaRecipe {
  id: string;
  name: string;
  ingredients: readonly string[];
  tags: readonly string[];
  category: string | null;
  cuisine: string | null;
  diets: readonly string[];
  totalMinutes: number | null;
}

export interface OramaFilters {
  category?: string;
  cuisine?: string;
  /** Comma-separated, as the API takes them. */
  diet?: string;
  maxMinutes?: number;
}

const SCHEMA = {
  name: 'string',
  ingredients: 'string',
  tags: 'string',
  category: 'enum',
  cuisine: 'enum',
  diets: 'enum[]',
  totalMinutes: 'number',
} as const;

type RecipeIndex = Orama<typeof SCHEMA>;

// The Mandarin tokenizer is published only under a subpath export, which this project's module
// resolution does not read types from; its one function is typed here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mandarin = require('@orama/tokenizers/mandarin') as { createTokenizer(): Tokenizer };

export class OramaCatalog {
  private constructor(private readonly index: RecipeIndex) {}

  static build(recipes: readonly OramaRecipe[]): OramaCatalog {
    const index = create({ schema: SCHEMA, components: { tokenizer: mandarin.createTokenizer() } });
    const documents = recipes.map((recipe) => ({
      id: recipe.id,
      name: recipe.name,
      ingredients: recipe.ingredients.join(' '),
      tags: recipe.tags.join(' '),
      ...(recipe.category ? { category: recipe.category } : {}),
      ...(recipe.cuisine ? { cuisine: recipe.cuisine } : {}),
      diets: [...recipe.diets],
      ...(recipe.totalMinutes !== null ? { totalMinutes: recipe.totalMinutes } : {}),
    }));
    // insertMultiple returns a promise only when a hook is asynchronous; none is.
    void insertMultiple(index, documents, 1000);
    return new OramaCatalog(index);
  }

  /** Ids of the best `limit` recipes for `term` under `filters`, Orama's defaults otherwise. */
  search(term: string, limit: number, filters: OramaFilters = {}): string[] {
    const where: Record<string, unknown> = {};
    if (filters.category) where.category = { eq: filters.category };
    if (filters.cuisine) where.cuisine = { eq: filters.cuisine };
    if (filters.diet) where.diets = { containsAll: filters.diet.split(',').map((d) => d.trim()) };
    if (filters.maxMinutes !== undefined) where.totalMinutes = { lte: filters.maxMinutes };
    const found = search(this.index, { term, limit, ...(Object.keys(where).length > 0 ? { where } : {}) });
    if (found instanceof Promise) throw new Error('Orama answered asynchronously; this index has no asynchronous component');
    return found.hits.map((hit) => hit.id);
  }
}
