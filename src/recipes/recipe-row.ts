import { NormalizedRecipe } from './recipe-normalizer';
import { Ingredient, Recipe } from './recipe.types';

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

/** A recipes row as both databases return it: the JSON columns as text, numbers as numbers. */
export type StoredRecipeRow = Record<(typeof RECIPE_COLUMNS)[number], ColumnValue>;

/** The JSON columns (written with JSON.stringify by `toRecipeRow`). */
const json = <T>(value: ColumnValue): T => JSON.parse(value as string) as T;
const text = (value: ColumnValue): string | null => (value === null ? null : String(value));
const num = (value: ColumnValue): number | null => (value === null ? null : Number(value));

/** A stored row as the recipe it holds: the inverse of `toRecipeRow` plus id and timestamps. */
export function recipeFromRow(row: StoredRecipeRow): Recipe {
  return {
    id: row.id as string,
    name: row.name as string,
    description: text(row.description),
    language: row.language as string,
    source: row.source as string,
    sourceId: row.source_id as string,
    category: text(row.category),
    cuisine: text(row.cuisine),
    region: text(row.region),
    ingredients: json<Ingredient[]>(row.ingredients),
    steps: json<string[]>(row.steps),
    tags: json<string[]>(row.tags),
    diets: json<string[]>(row.diets),
    flavors: json<string[]>(row.flavors),
    methods: json<string[]>(row.methods),
    tools: json<string[]>(row.tools),
    allergens: json<string[]>(row.allergens),
    totalMinutes: num(row.total_minutes),
    difficulty: num(row.difficulty),
    calories: num(row.calories),
    servings: num(row.servings),
    url: text(row.url),
    extra: json<Record<string, unknown>>(row.extra),
    contentHash: row.content_hash as string,
    createdAt: row.created_at as string,
    updatedAt: row.updated_at as string,
  };
}
