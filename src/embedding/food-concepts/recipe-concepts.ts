import { createHash } from 'node:crypto';
import { ParsedQuery, RecipeAnalysis } from '../../text/text.types';
import { wordTokens } from './sparse-terms';

export interface ConceptSets {
  ingredients: string[];
  /** Flavor, method, course, cuisine and diet concepts, including the diets the ingredients allow. */
  properties: string[];
}

/** Sorted and de-duplicated, so neither training nor fingerprints depend on analyzer order. */
export function recipeConcepts(analysis: RecipeAnalysis): ConceptSets {
  return {
    ingredients: uniqueSorted(analysis.ingredientConcepts),
    properties: uniqueSorted([...analysis.propertyConcepts, ...analysis.diets]),
  };
}

export function queryConcepts(query: ParsedQuery): ConceptSets {
  return {
    ingredients: uniqueSorted(query.ingredients),
    properties: uniqueSorted([...query.properties, ...query.cuisines, ...query.categories, ...query.diets]),
  };
}

/** A multi-word concept id ("soy-sauce") mentioned in the name; plain words are tokenised instead. */
const CONCEPT_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)+$/;

/**
 * Sparse-vector tokens of a recipe: every concept id once, then the name's words and the
 * unresolved ingredient names as n-grams. Terms that repeat a concept id are skipped so a
 * concept does not count twice.
 */
export function recipeTokens(analysis: RecipeAnalysis): string[] {
  const { ingredients, properties } = recipeConcepts(analysis);
  const concepts = new Set([...ingredients, ...properties]);
  const tokens = [...concepts];
  for (const term of [...analysis.terms, ...analysis.unresolvedIngredients]) {
    if (concepts.has(term)) continue;
    if (CONCEPT_SLUG.test(term)) tokens.push(term);
    else tokens.push(...wordTokens(term));
  }
  return tokens;
}

export function queryTokens(query: ParsedQuery): string[] {
  const { ingredients, properties } = queryConcepts(query);
  return [...ingredients, ...properties, ...query.freeText.flatMap(wordTokens)];
}

/**
 * Content hash of everything the food-concept model learns from one recipe. Text edits that
 * leave concepts and terms unchanged keep the hash, so they do not count as drift.
 */
export function recipeFingerprint(analysis: RecipeAnalysis): string {
  const { ingredients, properties } = recipeConcepts(analysis);
  const content = JSON.stringify([ingredients, properties, [...analysis.terms].sort(), uniqueSorted(analysis.unresolvedIngredients)]);
  return createHash('sha256').update(content).digest('hex').slice(0, 16);
}

function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
