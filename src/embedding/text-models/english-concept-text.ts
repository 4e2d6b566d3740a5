import { ParsedQuery, RecipeAnalysis } from '../../text/text.types';

/** Concept ids are English slugs ("soy-sauce"), so they read as English once the hyphens go. */
function phrase(conceptId: string): string {
  return conceptId.replace(/-/g, ' ');
}

function conceptSentence(ingredients: readonly string[], properties: readonly string[], extra: readonly string[] = []): string {
  const parts: string[] = [];
  if (ingredients.length) parts.push(`Dish with ${ingredients.map(phrase).join(', ')}.`);
  const rest = [...properties.map(phrase), ...extra];
  if (rest.length) parts.push(`${rest.join(', ')}.`);
  return parts.join(' ');
}

/**
 * An English stand-in for a recipe an English-only sentence model cannot read (Chinese,
 * Italian): its ingredient and property concepts, which the lexicon has already resolved across
 * languages. Empty when the analyzer found no concepts.
 */
export function englishRecipeText(analysis: RecipeAnalysis): string {
  return conceptSentence(analysis.ingredientConcepts, [...analysis.propertyConcepts, ...analysis.diets]);
}

/** The same for a query, keeping any words already written in Latin script. */
export function englishQueryText(query: ParsedQuery): string {
  const latinWords = query.freeText.filter((word) => /^[\p{Script=Latin}\p{N}\s'-]+$/u.test(word));
  return conceptSentence(query.ingredients, [...query.properties, ...query.cuisines, ...query.categories, ...query.diets], latinWords);
}

export function isEnglish(language: string): boolean {
  return language.toLowerCase().startsWith('en');
}
