import { Ingredient, RecipeSummary } from '../recipes/recipe.types';
import { FoodLexicon } from '../text/food-lexicon';
import { RecipeAnalysis } from '../text/text.types';
import { compileRecipeFilter } from '../vector-store/recipe-filter';
import { RecipeFilter, RecipePayload } from '../vector-store/vector-store.port';
import { dishNameKey } from './dish-name';

/**
 * One recipe as retrieval needs it, held in memory: the summary a hit returns, the ingredient
 * lines explanations and pantry matching read, the analysis' concepts, and the same payload the
 * vector index filters on, so in-memory candidates obey exactly the same hard filters.
 */
export interface CatalogRecipe {
  summary: RecipeSummary;
  ingredients: readonly Ingredient[];
  /** Ingredient concepts the recipe lists, without ancestors. */
  ingredientConcepts: readonly string[];
  /**
   * Ingredients the dish's name implies but its list does not name (香菜拌牛肉 → coriander,
   * 宫保鸡丁 → peanut), with the word of the name that implies each. Sources often list only the
   * main ingredients; a name saying "coriander" is still a dish with coriander.
   */
  impliedIngredients: ReadonlyArray<{ concept: string; name: string }>;
  /** Flavor, method, course, cuisine and diet concepts from the analysis, plus courses the name names (…汤 → soup). */
  propertyConcepts: readonly string[];
  payload: RecipePayload;
  /**
   * Listed and implied ingredient concepts with all their ancestors: what exclusions and matching
   * look at. Distinct, in the order a Set of them would iterate; the payload's own array when the
   * name implies nothing new. An array, not a Set: at 101,331 recipes the two Sets per recipe
   * held 48 MiB of the catalog view's ~236 MiB (heap snapshot), the arrays add ~0 (shared with
   * the payload) for most recipes; membership over ~20 entries costs no more than a hash.
   */
  concepts: readonly string[];
  /** Allergen groups of the listed and implied ingredients; distinct, as `concepts`. */
  allergens: readonly string[];
  nameKey: string;
  /** Ingredient concepts the name itself names (鸡丁 → chicken): what the dish is about. */
  nameIngredients: readonly string[];
  /** The name is one of the lexicon's well-known dishes (宫保鸡丁, tiramisu). */
  classic: boolean;
}

export interface CatalogRecipeSource {
  summary: RecipeSummary;
  ingredients: readonly Ingredient[];
  analysis: RecipeAnalysis;
  payload: RecipePayload;
}

export function buildCatalogRecipe(lexicon: FoodLexicon, source: CatalogRecipeSource): CatalogRecipe {
  const { summary, analysis, payload } = source;
  const nameKey = dishNameKey(summary.name);
  const listed = new Set(analysis.ingredientConcepts);
  const implied = new Map<string, string>();
  // 三杯鸡（无九层塔版）: the name refuses the basil it names, and that a 三杯鸡 is made with (see FoodLexicon.refusedIn).
  const refused = analysis.nameRefuses ?? NONE;
  const imply = (concept: string, word: string) => {
    const covered = [...listed].some((c) => lexicon.isA(c, concept) || lexicon.isA(concept, c));
    if (!covered && !lexicon.isAnyOf(concept, refused) && !implied.has(concept)) implied.set(concept, word);
  };
  const named = lexicon.foodsNamedIn(summary.name, refused);
  for (const { concept, word } of named) imply(concept, word);
  const nameIngredients = [...new Set(named.map((n) => n.concept))];
  const dish = lexicon.lookupDish(summary.name);
  for (const concept of dish?.ingredients ?? []) {
    const found = lexicon.get(concept);
    imply(concept, found ? ((summary.language === 'zh' ? found.zh[0] : found.en[0]) ?? concept) : concept);
  }

  const concepts = new Set(payload.concepts);
  const allergens = new Set(payload.allergens);
  for (const concept of implied.keys()) {
    concepts.add(concept);
    lexicon.ancestors(concept).forEach((a) => concepts.add(a));
    lexicon.allergensOf(concept).forEach((a) => allergens.add(a));
  }
  const impliedIngredients = [...implied].map(([concept, name]) => ({ concept, name }));
  const properties = new Set(analysis.propertyConcepts);
  const name = nameForms(summary.name);
  for (const course of courseSurfaces(lexicon)) {
    if (!properties.has(course.id) && course.surfaces.some((surface) => surfaceFound(name, surface))) properties.add(course.id);
  }
  return {
    summary,
    ingredients: source.ingredients,
    ingredientConcepts: analysis.ingredientConcepts,
    impliedIngredients: impliedIngredients.length === 0 ? NONE : impliedIngredients,
    propertyConcepts: sameOrCopy(analysis.propertyConcepts, properties),
    payload,
    concepts: sameOrCopy(payload.concepts, concepts),
    allergens: sameOrCopy(payload.allergens, allergens),
    nameKey,
    nameIngredients: nameIngredients.length === 0 ? NONE : nameIngredients,
    classic: dish !== undefined,
  };
}

/**
 * One shared empty list for the recipes whose name implies or names no ingredient: the implied
 * lists went from 7.3 to 5.4 MiB at 101,331 recipes (heap snapshot).
 */
const NONE: readonly never[] = Object.freeze([]);

/**
 * `list` itself when `distinct` (built from it, then perhaps added to) holds exactly its
 * entries, else `distinct` as an array: the same entries in the same order either way, without
 * a second copy per recipe in the common case.
 */
function sameOrCopy(list: readonly string[], distinct: ReadonlySet<string>): readonly string[] {
  if (list.length === distinct.size) {
    let i = 0;
    let same = true;
    for (const item of distinct) if (list[i++] !== item) same = false;
    if (same) return list;
  }
  return distinct.size === 0 ? NONE : [...distinct];
}

interface Surface {
  /** The surface keyed as dish names are: what a Chinese surface must be a substring of. */
  key: string;
  cjk: boolean;
  /** An English surface as space-separated lower-case words, padded: matched as whole words. */
  spaced: string;
}

/** A dish name in the two forms surfaces are looked for in. */
interface NameForms {
  /** The whole name, notes included ("（甜品版）" still says what course the dish is), without spaces or punctuation. */
  compact: string;
  spaced: string;
}

const courseSurfaceCache = new WeakMap<FoodLexicon, Array<{ id: string; surfaces: Surface[] }>>();

/**
 * The course concepts' surface forms, keyed once per lexicon. Keying them again for every
 * recipe (NFKC, the name-note expressions) was a quarter of loading a 100,000-recipe catalog.
 */
function courseSurfaces(lexicon: FoodLexicon): Array<{ id: string; surfaces: Surface[] }> {
  let courses = courseSurfaceCache.get(lexicon);
  if (!courses) {
    courses = lexicon.all('course').map((course) => ({
      id: course.id,
      surfaces: [...course.zh, ...course.en]
        .map((surface) => {
          const key = dishNameKey(surface);
          return { key, cjk: /[\u3400-\u9fff]/.test(key), spaced: spacedWords(surface) };
        })
        .filter((surface) => surface.key.length > 0),
    }));
    courseSurfaceCache.set(lexicon, courses);
  }
  return courses;
}

function spacedWords(text: string): string {
  return ` ${text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
}

function nameForms(name: string): NameForms {
  return {
    compact: name
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\s\p{P}\p{S}]+/gu, ''),
    spaced: spacedWords(name),
  };
}

/** Chinese by substring, English as whole words. */
function surfaceFound(name: NameForms, surface: Surface): boolean {
  return surface.cjk ? name.compact.includes(surface.key) : name.spaced.includes(surface.spaced);
}

/**
 * The store's filter semantics over a catalog recipe, with exclusions also checked against the
 * ingredients its name implies: an excluded ingredient must never reach a client, even when the
 * source forgot to list it.
 */
export function compileCatalogFilter(filter: RecipeFilter): (recipe: CatalogRecipe) => boolean {
  return compileCatalogFilterIfAny(filter) ?? (() => true);
}

/** {@link compileCatalogFilter}, or null when the filter constrains nothing: a scan can skip the call. */
export function compileCatalogFilterIfAny(filter: RecipeFilter): ((recipe: CatalogRecipe) => boolean) | null {
  const payloadCheck = compileRecipeFilter(filter);
  const excludedConcepts = filter.excludeConcepts ?? [];
  const excludedAllergens = filter.excludeAllergens ?? [];
  if (payloadCheck === null && excludedConcepts.length === 0 && excludedAllergens.length === 0) return null;
  return (recipe) =>
    (payloadCheck === null || payloadCheck(recipe.summary.id, recipe.payload)) &&
    !excludedConcepts.some((c) => recipe.concepts.includes(c)) &&
    !excludedAllergens.some((a) => recipe.allergens.includes(a));
}

/** Listed ingredient lines plus the implied ones, as pantry matching reads them. */
export function neededIngredients(recipe: CatalogRecipe): Ingredient[] {
  return [...recipe.ingredients, ...recipe.impliedIngredients.map(({ concept, name }) => ({ name, concept }))];
}
