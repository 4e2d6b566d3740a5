/** The recipe model shared by the catalog, the importers and the retrieval features. */

export interface Ingredient {
  /** Ingredient name as the source spells it, notes removed (e.g. "食用盐", "Gram flour"). */
  name: string;
  /** Free-text amount as given ("2 个", "300 g"); absent when the source has none. */
  quantity?: string;
  /** True when the source marks it optional (HowToCook `可选原料`, `（可选）`). */
  optional?: boolean;
  /** Canonical food concept id from the lexicon ("salt", "chicken"); set by the catalog on write. */
  concept?: string;
}

/** What an importer or an API client supplies. Only name, source, sourceId and ingredients are required. */
export interface RecipeInput {
  name: string;
  source: string;
  sourceId: string;
  ingredients: Ingredient[];
  description?: string;
  language?: string;
  category?: string;
  cuisine?: string;
  region?: string;
  steps?: string[];
  tags?: string[];
  diets?: string[];
  flavors?: string[];
  methods?: string[];
  tools?: string[];
  totalMinutes?: number;
  /** 1 (easiest) to 5. */
  difficulty?: number;
  /** Estimated kcal for the whole dish, as the source states it. */
  calories?: number;
  servings?: number;
  url?: string;
  /** Anything else the source says that has no field of its own (cost, video id…). */
  extra?: Record<string, unknown>;
}

export interface Recipe extends Required<Pick<RecipeInput, 'name' | 'source' | 'sourceId' | 'ingredients'>> {
  id: string;
  description: string | null;
  language: string;
  category: string | null;
  cuisine: string | null;
  region: string | null;
  steps: string[];
  tags: string[];
  diets: string[];
  flavors: string[];
  methods: string[];
  tools: string[];
  totalMinutes: number | null;
  difficulty: number | null;
  calories: number | null;
  servings: number | null;
  url: string | null;
  extra: Record<string, unknown>;
  /** Allergen groups derived from the ingredients (peanut, dairy, gluten…). */
  allergens: string[];
  /** sha256 of the indexed content: the index skips recipes whose hash it already holds. */
  contentHash: string;
  createdAt: string;
  updatedAt: string;
}

export type RecipeSummary = Pick<
  Recipe,
  'id' | 'name' | 'source' | 'sourceId' | 'category' | 'cuisine' | 'language' | 'diets' | 'flavors' | 'totalMinutes' | 'difficulty'
>;

export const RECIPE_SOURCES = ['howtocook', 'yunyoujun-cook', 'indian-food-101', 'italian-giallozafferano'] as const;
export type RecipeSource = (typeof RECIPE_SOURCES)[number];
