import { NormalizedRecipe } from './recipe-normalizer';

/** The recipes table's columns, in the order `recipeRowValues` gives them. */
export const RECIPE_COLUMNS = [
  'id',
  'source',
  'source_id',
  'name',
  'description',
  'language',
  'category',
  'cuisine',
  'region',
  'ingredients',
  'steps',
  'tags',
  'diets',
  'flavors',
  'methods',
  'tools',
  'allergens',
  'total_minutes',
  'difficulty',
  'calories',
  'servings',
  'url',
  'extra',
  'content_hash',
  'created_at',
  'updated_at',
] as const;

export type ColumnValue = string | number | null;

/**
 * A normalised recipe as the table stores it, short of its id and timestamps: JSON columns
 * already as TypeORM's simple-json writes them. Flat strings and numbers, so a bulk prepared in
 * a worker thread crosses back cheaply (a 1,000 × 250-ingredient bulk as object graphs cost the
 * receiving thread about as much to rebuild as parsing it had).
 */
export interface RecipeRow {
  source: string;
  sourceId: string;
  contentHash: string;
  /** The values of RECIPE_COLUMNS from `source` to `content_hash`. */
  columns: ColumnValue[];
}

export function toRecipeRow(recipe: NormalizedRecipe): RecipeRow {
  return {
    source: recipe.source,
    sourceId: recipe.sourceId,
    contentHash: recipe.contentHash,
    columns: [
      recipe.source,
      recipe.sourceId,
      recipe.name,
      recipe.description,
      recipe.language,
      recipe.category,
      recipe.cuisine,
      recipe.region,
      JSON.stringify(recipe.ingredients),
      JSON.stringify(recipe.steps),
      JSON.stringify(recipe.tags),
      JSON.stringify(recipe.diets),
      JSON.stringify(recipe.flavors),
      JSON.stringify(recipe.methods),
      JSON.stringify(recipe.tools),
      JSON.stringify(recipe.allergens),
      recipe.totalMinutes,
      recipe.difficulty,
      recipe.calories,
      recipe.servings,
      recipe.url,
      JSON.stringify(recipe.extra),
      recipe.contentHash,
    ],
  };
}

/** Every column's value for one INSERT row. */
export function recipeRowValues(row: RecipeRow, id: string, now: string): ColumnValue[] {
  return [id, ...row.columns, now, now];
}
