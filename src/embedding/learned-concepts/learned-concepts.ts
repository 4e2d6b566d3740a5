import { RecipeAnalysis } from '../../text/text.types';
import { normalizeIngredientName } from './ingredient-normalizer';

/**
 * Learned concepts: ingredient names the lexicon does not resolve that recur across the catalog
 * (an English catalog's "zucchini", "tortilla", "heavy cream"). The food-concept trainer gives
 * them co-occurrence vectors like the lexicon's concepts, so a dish made of them is no longer
 * an empty ingredients vector. They only ever stand for names the lexicon left unresolved, so
 * they never replace a lexicon concept.
 */
export const LEARNED_CONCEPT_PREFIX = 'learned:';

export interface LearnedConceptOptions {
  /** Recipes a normalised name must occur in to become a concept: fewer carry too little co-occurrence to place it. */
  minRecipes: number;
  /**
   * Most learned concepts kept, commonest first. The trainer's PPMI matrix is dense: 1,500 learned
   * beside the lexicon's ~400 concepts is a 1,900² matrix (29 MiB a copy) and a retrain of a few seconds.
   */
  maxConcepts: number;
  /** Commonest unresolved names kept with the model (learned or not), for the admin listing. */
  listed: number;
  /** Names the lexicon resolves once normalised: they are the lexicon's, never learned. */
  isKnown?: (name: string) => boolean;
}

export const DEFAULT_LEARNED_CONCEPT_OPTIONS: Readonly<LearnedConceptOptions> = Object.freeze({
  minRecipes: 3,
  maxConcepts: 1500,
  listed: 500,
});

export interface UnresolvedName {
  /** The normalised name. */
  name: string;
  /** Recipes of the training catalog that list it. */
  recipes: number;
}

export function learnedConceptId(name: string): string {
  return `${LEARNED_CONCEPT_PREFIX}${name}`;
}

export function isLearnedConcept(id: string): boolean {
  return id.startsWith(LEARNED_CONCEPT_PREFIX);
}

export function learnedConceptName(id: string): string {
  return isLearnedConcept(id) ? id.slice(LEARNED_CONCEPT_PREFIX.length) : id;
}

/** A recipe's unresolved ingredient names, normalised, each once; empty names dropped. */
export function normalizedUnresolved(analysis: RecipeAnalysis): string[] {
  const names = new Set<string>();
  for (const raw of analysis.unresolvedIngredients) {
    const name = normalizeIngredientName(raw);
    if (name) names.add(name);
  }
  return [...names];
}

/**
 * Unresolved names (normalised, each once per recipe) by the number of recipes listing them, commonest first (ties by name), and
 * which of them become learned concepts.
 */
export function selectLearnedConcepts(
  namesPerRecipe: ReadonlyArray<readonly string[]>,
  options: LearnedConceptOptions,
): { unresolved: UnresolvedName[]; learned: string[] } {
  const counts = new Map<string, number>();
  for (const names of namesPerRecipe) {
    for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const known = new Map<string, boolean>();
  const isKnown = (name: string): boolean => {
    if (!options.isKnown) return false;
    let answer = known.get(name);
    if (answer === undefined) known.set(name, (answer = options.isKnown(name)));
    return answer;
  };
  const ranked = [...counts]
    .map(([name, recipes]) => ({ name, recipes }))
    .sort((a, b) => b.recipes - a.recipes || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .filter((entry) => !isKnown(entry.name));
  const learned = ranked
    .filter((entry) => entry.recipes >= options.minRecipes)
    .slice(0, options.maxConcepts)
    .map((entry) => entry.name);
  return { unresolved: ranked.slice(0, options.listed), learned: learned.sort() };
}
