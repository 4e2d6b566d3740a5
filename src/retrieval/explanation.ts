import { FoodLexicon } from '../text/food-lexicon';
import { basicNormalize, englishWords, hasCjk, surfaceKey } from '../text/text-normalizer';

/** The part of an ingredient line an explanation needs. */
export interface ExplainableIngredient {
  name: string;
  concept?: string;
}

/** The part of a recipe (and its analysis) that terms are matched against. */
export interface ExplainableRecipe {
  name: string;
  category?: string | null;
  cuisine?: string | null;
  diets?: readonly string[];
  /** Flavor, method, course, cuisine and diet concept ids from the recipe analysis. */
  propertyConcepts?: readonly string[];
}

/** What was asked for besides ingredients; ids as the query parser writes them (categories are slugs). */
export interface WantedTerms {
  properties?: readonly string[];
  cuisines?: readonly string[];
  categories?: readonly string[];
  diets?: readonly string[];
  /** Words the parser kept as they are, matched against the recipe name. */
  freeText?: readonly string[];
  /** The user's own text: when set, a matched concept is reported as the word the user wrote. */
  queryText?: string;
}

/** Ingredient groups that season a dish rather than make it. */
const FLAVOURING_GROUPS = ['sauce', 'seasoning', 'spice', 'herb', 'alcohol', 'leavening'];

/**
 * Builds the `why` of a ranked hit from plain data, so search, similar dishes and recommendations
 * explain hits the same way. Concepts match across the hierarchy in both directions: asking for
 * chicken explains a recipe with 鸡腿, and asking for 鸡腿 explains a recipe that just says 鸡肉.
 */
export class ExplanationBuilder {
  /** Hits of one request share its query text: prepare it once, not once per hit. */
  private lastQuery: QueryText | null = null;

  constructor(private readonly lexicon: FoodLexicon) {}

  /**
   * The recipe's own ingredient names (once each) whose concept is, or is related to, a wanted
   * one: main ingredients first, then sauces, spices and other flavourings, each in recipe order.
   * "Both have chicken and peanuts" explains more than "both have soy sauce".
   */
  matchedIngredients(ingredients: readonly ExplainableIngredient[], wanted: readonly string[]): string[] {
    if (wanted.length === 0) return [];
    const main: string[] = [];
    const flavourings: string[] = [];
    const seen = new Set<string>();
    for (const ingredient of ingredients) {
      const concept = ingredient.concept;
      if (!concept || seen.has(ingredient.name)) continue;
      if (wanted.some((w) => this.related(concept, w))) {
        seen.add(ingredient.name);
        (this.isFlavouring(concept) ? flavourings : main).push(ingredient.name);
      }
    }
    return [...main, ...flavourings];
  }

  private isFlavouring(concept: string): boolean {
    return this.lexicon.isStaple(concept) || FLAVOURING_GROUPS.some((group) => this.lexicon.isA(concept, group));
  }

  /**
   * Query words or concept ids that the recipe matches: properties, cuisines and diets against the
   * analysis (hierarchy-aware), categories against the category slug or its course concept, free
   * words against the name. Returns the user's word where it can be found in `queryText`.
   */
  matchedTerms(wanted: WantedTerms, recipe: ExplainableRecipe): string[] {
    const properties = new Set(recipe.propertyConcepts ?? []);
    const cuisineConcept = recipe.cuisine ? this.lexicon.lookup(recipe.cuisine) : undefined;
    if (cuisineConcept) properties.add(cuisineConcept.id);
    const diets = new Set([...(recipe.diets ?? []).map((d) => d.toLowerCase())]);
    const query = wanted.queryText !== undefined ? this.queryText(wanted.queryText) : undefined;
    const out = new Set<string>();
    const report = (id: string, surfaces: readonly string[]) => out.add(query?.find(surfaces) ?? id);

    // The recipe's property is the wanted one or a kind of it (Sichuan is Chinese food). A broader
    // one is not: a dish only known as Chinese was explained as matching "川菜", and a spicy one
    // as matching "kung pao".
    for (const id of [...(wanted.properties ?? []), ...(wanted.cuisines ?? [])]) {
      if ([...properties].some((p) => p === id || this.lexicon.isA(p, id))) report(id, this.surfaces(id));
    }
    for (const slug of wanted.categories ?? []) {
      const course = this.lexicon.courseForCategory(slug);
      const hit =
        (recipe.category ?? '').toLowerCase() === slug.toLowerCase() ||
        (course !== undefined && properties.has(course.id)) ||
        (course !== undefined && recipe.category ? this.lexicon.courseForCategory(recipe.category)?.id === course.id : false);
      if (hit) report(slug, course ? this.surfaces(course.id) : [slug]);
    }
    for (const id of wanted.diets ?? []) {
      if (diets.has(id) || properties.has(id)) report(id, this.surfaces(id));
    }
    const name = new QueryText(recipe.name);
    for (const word of wanted.freeText ?? []) {
      if (name.contains(word)) out.add(word);
    }
    return [...out];
  }

  private queryText(text: string): QueryText {
    if (this.lastQuery?.text !== text) this.lastQuery = new QueryText(text);
    return this.lastQuery;
  }

  /** Equal, narrower or broader. */
  related(a: string, b: string): boolean {
    return a === b || this.lexicon.isA(a, b) || this.lexicon.isA(b, a);
  }

  private surfaces(id: string): string[] {
    const concept = this.lexicon.get(id);
    return concept ? [...concept.zh, ...concept.en] : [id];
  }
}

/** A text prepared for "does this surface form occur in it": Chinese by substring, English by whole words. */
class QueryText {
  private readonly compact: string;
  private readonly words: string;

  constructor(readonly text: string) {
    this.compact = basicNormalize(text).replace(/\s+/g, '');
    this.words = ` ${englishWords(text).join(' ')} `;
  }

  contains(surface: string): boolean {
    const key = cachedSurfaceKey(surface);
    if (key.length === 0) return false;
    return hasCjk(key) ? this.compact.includes(key) : this.words.includes(` ${key} `);
  }

  /** The longest of the surface forms that occurs (longest, so "chicken breast" wins over "chicken"). */
  find(surfaces: readonly string[]): string | undefined {
    let best: string | undefined;
    for (const surface of surfaces) {
      if (this.contains(surface) && (best === undefined || cachedSurfaceKey(surface).length > cachedSurfaceKey(best).length))
        best = surface;
    }
    return best === undefined ? undefined : hasCjk(best) ? best : cachedSurfaceKey(best);
  }
}

/**
 * Lexicon surface forms are a fixed, small set matched on every hit: normalise each once.
 * Bounded so that free words from queries cannot grow it without limit.
 */
const surfaceKeys = new Map<string, string>();
const SURFACE_KEY_CACHE_LIMIT = 20_000;

function cachedSurfaceKey(surface: string): string {
  let key = surfaceKeys.get(surface);
  if (key === undefined) {
    key = surfaceKey(surface);
    if (surfaceKeys.size >= SURFACE_KEY_CACHE_LIMIT) surfaceKeys.clear();
    surfaceKeys.set(surface, key);
  }
  return key;
}
