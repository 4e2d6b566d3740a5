/**
 * A catalog recipe as the evaluation judges it: the stored fields, the source's own labels as the
 * importer read them, and the ingredient concepts the recipe analyzer resolves.
 */
export interface EvalRecipe {
  /** The catalog id: what retrievers return. Random per seed, so never used for ordering. */
  id: string;
  /** `source:sourceId`, stable across runs: ordering, tie-breaks and the report use it. */
  key: string;
  name: string;
  source: string;
  language: string;
  /** Category slug from the source: HowToCook folder, Indian course, Italian category. */
  category: string | null;
  cuisine: string | null;
  region: string | null;
  tags: readonly string[];
  methods: readonly string[];
  tools: readonly string[];
  flavors: readonly string[];
  totalMinutes: number | null;
  ingredientNames: readonly string[];
  /** Diet labels exactly as the source gave them (only Indian Food 101 has a diet column). */
  sourceDiets: readonly string[];
  /** Diets the analyzer derives from the resolved ingredients and the source's own claim. */
  derivedDiets: readonly string[];
  /** Resolved ingredient concept ids. */
  concepts: readonly string[];
  /** Those concepts plus every broader concept (chicken-offal → chicken → poultry → meat). */
  conceptClosure: ReadonlySet<string>;
  /** Ingredient names the lexicon did not resolve, cleaned. */
  unresolvedIngredients: readonly string[];
  allergens: readonly string[];
}
