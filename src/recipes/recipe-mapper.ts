import { RecipeEntity } from './recipe.entity';
import { Recipe, RecipeSummary } from './recipe.types';

export function toRecipe(entity: RecipeEntity): Recipe {
  return {
    id: entity.id,
    name: entity.name,
    description: entity.description,
    language: entity.language,
    source: entity.source,
    sourceId: entity.sourceId,
    category: entity.category,
    cuisine: entity.cuisine,
    region: entity.region,
    ingredients: entity.ingredients,
    steps: entity.steps,
    tags: entity.tags,
    diets: entity.diets,
    flavors: entity.flavors,
    methods: entity.methods,
    tools: entity.tools,
    allergens: entity.allergens,
    totalMinutes: entity.totalMinutes,
    difficulty: entity.difficulty,
    calories: entity.calories,
    servings: entity.servings,
    url: entity.url,
    extra: entity.extra,
    contentHash: entity.contentHash,
    createdAt: entity.createdAt,
    updatedAt: entity.updatedAt,
  };
}

export function toSummary(recipe: Recipe | RecipeEntity): RecipeSummary {
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
