import { Recipe } from '../recipes/recipe.types';
import { RecipeDocument } from '../embedding/embedding-provider.port';
import { RecipeAnalysis } from '../text/text.types';
import { RecipePayload } from '../vector-store/vector-store.port';

/** What sentence models read: the dish's own words, short enough to stay meaningful. */
export function documentText(recipe: Recipe): string {
  const parts = [recipe.name];
  if (recipe.description) parts.push(recipe.description);
  parts.push(recipe.ingredients.map((i) => i.name).join(', '));
  if (recipe.tags.length) parts.push(recipe.tags.join(', '));
  return parts.join('. ');
}

export function recipeDocument(recipe: Recipe, analysis: RecipeAnalysis): RecipeDocument {
  return { analysis, text: documentText(recipe) };
}

/** Fields the vector store filters on. Concepts include their ancestors so "no seafood" excludes shrimp. */
export function recipePayload(recipe: Recipe, analysis: RecipeAnalysis, ancestors: (id: string) => string[]): RecipePayload {
  const concepts = new Set<string>();
  for (const id of analysis.ingredientConcepts) {
    concepts.add(id);
    for (const parent of ancestors(id)) concepts.add(parent);
  }
  return {
    recipeId: recipe.id,
    name: recipe.name,
    source: recipe.source,
    language: recipe.language,
    category: recipe.category,
    cuisine: recipe.cuisine,
    diets: recipe.diets,
    flavors: recipe.flavors,
    allergens: recipe.allergens,
    concepts: [...concepts],
    totalMinutes: recipe.totalMinutes,
  };
}
