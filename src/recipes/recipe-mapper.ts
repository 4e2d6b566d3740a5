import { Recipe, RecipeInput, RecipeSummary } from './recipe.types';

export function toSummary(recipe: Recipe): RecipeSummary {
  return {
    id: recipe.id,
    name: recipe.name,
    source: recipe.source,
    sourceId: recipe.sourceId,
    category: recipe.category,
    cuisine: recipe.cuisine,
    language: recipe.language,
    diets: recipe.diets,
    flavors: recipe.flavors,
    totalMinutes: recipe.totalMinutes,
    difficulty: recipe.difficulty,
  };
}

/** A stored recipe as input again: for PATCH (merge, then validate) and for the analyzer. */
export function toRecipeInput(recipe: Recipe): RecipeInput {
  return {
    name: recipe.name,
    source: recipe.source,
    sourceId: recipe.sourceId,
    ingredients: recipe.ingredients.map(({ name, quantity, optional }) => ({ name, quantity, optional })),
    description: recipe.description ?? undefined,
    language: recipe.language,
    category: recipe.category ?? undefined,
    cuisine: recipe.cuisine ?? undefined,
    region: recipe.region ?? undefined,
    steps: recipe.steps,
    tags: recipe.tags,
    diets: recipe.diets,
    flavors: recipe.flavors,
    methods: recipe.methods,
    tools: recipe.tools,
    totalMinutes: recipe.totalMinutes ?? undefined,
    difficulty: recipe.difficulty ?? undefined,
    calories: recipe.calories ?? undefined,
    servings: recipe.servings ?? undefined,
    url: recipe.url ?? undefined,
    extra: recipe.extra,
  };
}
