import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';
import { FieldProblem } from '../common/validation';
import { wordsOf } from '../common/validation-decorators';
import { FoodLexicon } from '../text/food-lexicon';
import { cleanIngredientName, englishWords, splitIngredientList } from '../text/text-normalizer';
import { Concept, ParsedQuery } from '../text/text.types';
import { RecipeFilter } from '../vector-store/vector-store.port';

/** Words as a client sends them: a comma-separated string or a list (whose items may hold commas too). */
export type WordsParam = string | readonly string[];

/** Explicit filter parameters as a client sends them (words in either language), on every route. */
export interface FilterParams {
  category?: string;
  cuisine?: string;
  diet?: WordsParam;
  maxMinutes?: number;
  exclude?: WordsParam;
}

/**
 * Filter parameters with a user's stored allergies (see src/users): not a request parameter.
 * An allergy excludes what an exclusion does and every allergen group found in or under the
 * word's concept (see FoodLexicon.allergenGroupsWithin).
 */
export interface UserFilterParams extends FilterParams {
  allergies?: WordsParam;
}

export interface ResolvedFilters {
  filter: RecipeFilter;
  /** Words of `exclude` / `diet` the lexicon does not know: the caller refuses the request. */
  unknownExclusions: string[];
  unknownDiets: string[];
}

const INGREDIENT_OR_ALLERGEN = new Set(['ingredient', 'allergen'] as const);

/**
 * The one way every route turns client filters into a store filter: {@link resolveFilterParams},
 * and a 400 naming each unknown word when the lexicon does not know it, so an exclusion (an
 * allergy, say) or a diet is never silently dropped. `fieldPrefix` is where the filters sit in
 * the request: `''` for a query string, `'filters.'` for a JSON body.
 */
export function resolveFilters(lexicon: FoodLexicon, params: UserFilterParams | undefined, fieldPrefix = ''): RecipeFilter {
  if (!params) return {};
  const resolved = resolveFilterParams(lexicon, params);
  const details: FieldProblem[] = [];
  if (resolved.unknownExclusions.length > 0) {
    details.push({ field: `${fieldPrefix}exclude`, problems: [`unknown ingredient(s): ${resolved.unknownExclusions.join(', ')}`] });
  }
  if (resolved.unknownDiets.length > 0) {
    details.push({ field: `${fieldPrefix}diet`, problems: [`unknown diet(s): ${resolved.unknownDiets.join(', ')}`] });
  }
  if (details.length > 0) {
    const words = [...resolved.unknownExclusions, ...resolved.unknownDiets].map((w) => `"${w}"`).join(', ');
    throw new AppError(ErrorCode.ValidationFailed, `Unknown word(s) in filters: ${words}; nothing was excluded`, details);
  }
  return resolved.filter;
}

/**
 * Turns explicit parameters into hard filters. Exclusions go through the lexicon so "香菜",
 * "cilantro" and "coriander" exclude the same concept (and, as the payload carries ancestors,
 * everything narrower); an allergen word, or a food that names an allergen group ("peanut"),
 * also excludes that group so an ingredient the lexicon files elsewhere still cannot slip by.
 */
export function resolveFilterParams(lexicon: FoodLexicon, params: UserFilterParams): ResolvedFilters {
  const filter: RecipeFilter = {};
  const unknownExclusions: string[] = [];
  const unknownDiets: string[] = [];

  if (params.category) {
    const course = lexicon.courseForCategory(params.category);
    filter.categories = [course ? lexicon.categoryOf(course) : params.category.trim().toLowerCase()];
  }
  if (params.cuisine) {
    const cuisine = lexicon.lookup(params.cuisine, new Set(['cuisine']));
    // The catalog stores cuisines as slugs; a broad cuisine also takes its regional ones.
    filter.cuisines = cuisine ? [cuisine.id, ...lexicon.descendants(cuisine.id)] : [params.cuisine.trim().toLowerCase()];
  }
  const diets: string[] = [];
  for (const word of wordsOf(params.diet)) {
    const diet = lexicon.lookup(word, new Set(['diet']));
    if (diet) diets.push(diet.id);
    else unknownDiets.push(word);
  }
  if (diets.length > 0) filter.diets = diets;
  if (params.maxMinutes !== undefined) filter.maxMinutes = params.maxMinutes;

  const concepts: string[] = [];
  const allergens: string[] = [];
  const excluded = [
    ...wordsOf(params.exclude).map((word) => ({ word, allergy: false })),
    ...wordsOf(params.allergies).map((word) => ({ word, allergy: true })),
  ];
  for (const { word, allergy } of excluded) {
    const foods = foodsOfFilterWord(lexicon, word);
    if (foods === null) {
      unknownExclusions.push(word);
      continue;
    }
    for (const concept of foods) {
      if (concept.kind === 'ingredient') concepts.push(concept.id);
      allergens.push(...(allergy ? lexicon.allergenGroupsWithin(concept) : lexicon.allergenGroupsNamedBy(concept)));
    }
  }
  if (concepts.length > 0) filter.excludeConcepts = unique(concepts);
  if (allergens.length > 0) filter.excludeAllergens = unique(allergens);
  return { filter, unknownExclusions, unknownDiets };
}

/**
 * The foods an exclusion or allergy word names, or null when it names none the lexicon knows.
 * A known word is its concept. Otherwise every food the word names counts: "花生和虾",
 * "peanut and shrimp", "milk & eggs" exclude both (an ingredient line's rule keeps one food a
 * line, and an allergy to peanuts and shrimp kept only the peanuts). Each part of a list must
 * name a food, or the word is not understood ("peanut and xyzzy" is refused, not half kept).
 */
function foodsOfFilterWord(lexicon: FoodLexicon, word: string): Concept[] | null {
  const known = lexicon.lookup(word, INGREDIENT_OR_ALLERGEN);
  if (known) return [known];
  const foods = new Map<string, Concept>();
  for (const part of splitIngredientList(cleanIngredientName(word))) {
    const named = foodsNamedByPart(lexicon, part);
    if (named.length === 0) {
      // A part the lexicon reads as an ingredient line still counts ("chopped fresh cilantro").
      const line = lexicon.resolveIngredient(part);
      if (!line || line.kind === 'tool') return null;
      named.push(line);
    }
    for (const concept of named) foods.set(concept.id, concept);
  }
  return foods.size > 0 ? [...foods.values()] : null;
}

/** Every ingredient or allergen word in one part, longest first at each position. */
function foodsNamedByPart(lexicon: FoodLexicon, part: string): Concept[] {
  const found: Concept[] = [];
  for (const piece of lexicon.segmentChinese(part, INGREDIENT_OR_ALLERGEN)) if (piece.concept) found.push(piece.concept);
  return [...found, ...lexicon.englishConceptsIn(englishWords(part), INGREDIENT_OR_ALLERGEN)];
}

/** Text constraints and explicit ones together: exclusions and diets add up, the tighter time wins. */
export function mergeQueryFilter(parsed: ParsedQuery, explicit: RecipeFilter): RecipeFilter {
  const filter: RecipeFilter = { ...explicit };
  const concepts = unique([...(explicit.excludeConcepts ?? []), ...parsed.excludedIngredients]);
  const allergens = unique([...(explicit.excludeAllergens ?? []), ...parsed.excludedAllergens]);
  const diets = unique([...(explicit.diets ?? []), ...parsed.diets]);
  if (concepts.length > 0) filter.excludeConcepts = concepts;
  if (allergens.length > 0) filter.excludeAllergens = allergens;
  if (diets.length > 0) filter.diets = diets;
  const times = [explicit.maxMinutes, parsed.maxMinutes].filter((m): m is number => m !== undefined);
  if (times.length > 0) filter.maxMinutes = Math.min(...times);
  return filter;
}

/** True when the filter narrows the catalog at all (an empty query needs at least one). */
export function hasConstraint(filter: RecipeFilter): boolean {
  return Object.values(filter).some((v) => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== false));
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
