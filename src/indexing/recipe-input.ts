import { RecipeEntity } from '../recipes/recipe.entity';
import { RecipeInput } from '../recipes/recipe.types';

/** The stored recipe as analyzer input (the analyzer works on inputs so imports and reads agree). */
export function toInputForAnalysis(entity: RecipeEntity): RecipeInput {
  return {
    name: entity.name,
    source: entity.source,
    sourceId: entity.sourceId,
    ingredients: entity.ingredients.map((i) => ({ name: i.name, quantity: i.quantity, optional: i.optional })),
    description: entity.description ?? undefined,
    language: entity.language,
    category: entity.category ?? undefined,
    cuisine: entity.cuisine ?? undefined,
    tags: entity.tags,
    diets: entity.diets,
    flavors: entity.flavors,
    methods: entity.methods,
    tools: entity.tools,
    totalMinutes: entity.totalMinutes ?? undefined,
  };
}
