import { normalizeIngredientName } from '../embedding/learned-concepts/ingredient-normalizer';
import { isLearnedConcept, learnedConceptName } from '../embedding/learned-concepts/learned-concepts';
import { FoodLexicon } from '../text/food-lexicon';
import { CatalogRecipe } from './catalog-recipe';
import { dishNameKey, NameMatchTier } from './dish-name';
import { compareIds } from './id-order';

/** What a query asks for that a recipe can match (constraints such as diets are filters, not facets). */
export interface QueryFacets {
  /** Lexicon concepts, and learned concepts (`learned:…`, matched by the recipe's unresolved lines). */
  ingredients: readonly string[];
  properties: readonly string[];
  cuisines: readonly string[];
  /** Category slugs, as the query parser writes them. */
  categories: readonly string[];
  /** Words kept as typed (unrecognised words, dish names): matched against the recipe name. */
  words: readonly string[];
}

/**
 * How much each matched facet counts. Ingredients, cuisine and course are what people mostly
 * mean; a flavor or method word, or a loose word of the name, refines.
 */
export const FACET_WEIGHTS = { ingredient: 1, cuisine: 1, category: 1, property: 0.5, word: 0.5 } as const;
/** A concept matched only through a broader one (asked for chicken, the recipe says meat) counts half. */
export const BROADER_MATCH = 0.5;

/** Final score = FUSED_WEIGHT · normalised RRF + COVERAGE_WEIGHT · facet coverage (+ NAME_BONUS). */
export const FUSED_WEIGHT = 0.35;
export const COVERAGE_WEIGHT = 0.45;
/** A name containing a short query (or contained in the query) is lifted over plain concept matches. */
export const NAME_BONUS = 0.2;
/**
 * The lexicon's well-known dishes are what most people mean by a broad query ("chicken" →
 * 宫保鸡丁 before the tenth garlic chicken wing): a small prior among equally matching recipes.
 */
export const CLASSIC_BONUS = 0.1;
/**
 * A dish whose name names the wanted ingredient is about it (鸡丁 in 宫保鸡丁); one that only lists
 * it may use a little, or list it by a source's mistake. Scaled by the share of wanted ingredients named.
 */
export const NAMED_INGREDIENT_BONUS = 0.1;
/** Asked for "under 30 minutes", a dish known to take 20 beats one whose time nobody recorded. */
export const KNOWN_TIME_BONUS = 0.1;
/** Relative floor: a hit covering less than this share of the best hit's coverage is junk for this query. */
export const RELATIVE_COVERAGE_FLOOR = 0.5;

export interface FacetMatch {
  /** Wanted ingredient concepts the recipe has (or a broader / narrower one of). */
  ingredients: string[];
  /** Share of the wanted ingredients the recipe's name itself names (0 when none was wanted). */
  namedShare: number;
  matchedWeight: number;
  askedWeight: number;
}

/** 1 when the recipe has the concept or a narrower one, BROADER_MATCH when only a broader one, else 0. */
export function conceptStrength(lexicon: FoodLexicon, recipeConcepts: Iterable<string>, wanted: string): number {
  let best = 0;
  for (const concept of recipeConcepts) {
    if (lexicon.isA(concept, wanted)) return 1;
    if (lexicon.isA(wanted, concept)) best = BROADER_MATCH;
  }
  return best;
}

export function askedWeight(query: QueryFacets): number {
  return (
    query.ingredients.length * FACET_WEIGHTS.ingredient +
    (query.cuisines.length > 0 ? FACET_WEIGHTS.cuisine : 0) +
    (query.categories.length > 0 ? FACET_WEIGHTS.category : 0) +
    query.properties.length * FACET_WEIGHTS.property +
    query.words.length * FACET_WEIGHTS.word
  );
}

/**
 * Which facets of the query a recipe matches. Several cuisines (or categories) in one query are
 * alternatives, so that facet counts once, at its best match.
 */
export function matchFacets(lexicon: FoodLexicon, query: QueryFacets, recipe: CatalogRecipe): FacetMatch {
  return facetMatcher(lexicon, query)(recipe);
}

/**
 * {@link matchFacets} for one query over many recipes: what depends on the query alone is worked
 * out once, and how each concept a recipe lists relates to each wanted one is remembered for the
 * query. A recipe's ingredient matches read only its listed and implied ingredients, not
 * `concepts` (those with all their ancestors): a wanted ingredient is among a recipe's
 * `concepts` exactly when one of those is it or narrower, which the relation says. On the
 * 100,000-recipe bench catalog, `concepts.includes` alone was ~6% of a search's CPU (~0.75 µs a
 * candidate, a cold array of ~30 entries).
 */
export function facetMatcher(lexicon: FoodLexicon, query: QueryFacets): (recipe: CatalogRecipe) => FacetMatch {
  const relations = new Map<string, Map<string, number>>();
  /** 1 when `concept` is `wanted` or narrower, BROADER_MATCH when broader, else 0 (as conceptStrength). */
  const relationTo = (wanted: string): Map<string, number> => {
    let relation = relations.get(wanted);
    if (!relation) relations.set(wanted, (relation = new Map()));
    return relation;
  };
  const strength = (relation: Map<string, number>, wanted: string, concepts: readonly string[], best: number): number => {
    for (let i = 0; i < concepts.length && best < 1; i++) {
      const concept = concepts[i];
      let r = relation.get(concept);
      if (r === undefined) {
        r = lexicon.isA(concept, wanted) ? 1 : lexicon.isA(wanted, concept) ? BROADER_MATCH : 0;
        relation.set(concept, r);
      }
      if (r > best) best = r;
    }
    return best;
  };
  const ingredientWants = query.ingredients.map((wanted) =>
    isLearnedConcept(wanted)
      ? { wanted, learned: learnedConceptName(wanted), relation: null }
      : { wanted, learned: null, relation: relationTo(wanted) },
  );
  const cuisines = query.cuisines.map((wanted) => ({ wanted, relation: relationTo(wanted) }));
  const properties = query.properties.map((wanted) => ({ wanted, relation: relationTo(wanted) }));
  const courses = query.categories.map((slug) => ({ slug, course: lexicon.courseForCategory(slug)?.id }));
  const wordKeys = query.words.map(dishNameKey).filter((key) => key.length > 0);
  const asked = askedWeight(query);

  return (recipe) => {
    const ingredients: string[] = [];
    let matched = 0;
    let named = 0;
    for (const { wanted, learned, relation } of ingredientWants) {
      let found: number;
      if (relation === null) {
        found = Number(unresolvedLineNames(recipe).has(learned));
      } else {
        found = strength(relation, wanted, recipe.ingredientConcepts, 0);
        if (found < 1 && recipe.impliedIngredients.length > 0) {
          found = strength(
            relation,
            wanted,
            recipe.impliedIngredients.map((i) => i.concept),
            found,
          );
        }
        if (strength(relation, wanted, recipe.nameIngredients, 0) === 1) named++;
      }
      if (found > 0) ingredients.push(wanted);
      matched += found * FACET_WEIGHTS.ingredient;
    }
    if (cuisines.length > 0) {
      let best = 0;
      for (const { wanted, relation } of cuisines) best = strength(relation, wanted, recipe.propertyConcepts, best);
      matched += best * FACET_WEIGHTS.cuisine;
    }
    if (
      courses.some(
        ({ slug, course }) => recipe.summary.category === slug || (course !== undefined && recipe.propertyConcepts.includes(course)),
      )
    ) {
      matched += FACET_WEIGHTS.category;
    }
    for (const { wanted, relation } of properties)
      matched += strength(relation, wanted, recipe.propertyConcepts, 0) * FACET_WEIGHTS.property;
    for (const key of wordKeys) if (recipe.nameKey.includes(key)) matched += FACET_WEIGHTS.word;
    const namedShare = ingredientWants.length > 0 ? named / ingredientWants.length : 0;
    return { ingredients, namedShare, matchedWeight: matched, askedWeight: asked };
  };
}

const unresolvedLines = new WeakMap<CatalogRecipe, ReadonlySet<string>>();

/** The normalised names of a recipe's lines the lexicon left without a concept: what a learned concept matches. */
function unresolvedLineNames(recipe: CatalogRecipe): ReadonlySet<string> {
  let names = unresolvedLines.get(recipe);
  if (!names) {
    names = new Set(recipe.ingredients.filter((line) => !line.concept).map((line) => normalizeIngredientName(line.name)));
    unresolvedLines.set(recipe, names);
  }
  return names;
}

export interface SearchCandidate {
  id: string;
  /** Reciprocal-rank-fusion score from the vector legs; 0 for a candidate found only by name. */
  fused: number;
  nameTier: NameMatchTier;
  match: FacetMatch;
  classic?: boolean;
  /** A time limit was asked for and the recipe's known time is within it (unknown times pass the filter, unproven). */
  withinKnownTime?: boolean;
}

export interface RankedCandidate extends SearchCandidate {
  score: number;
  coverage: number;
}

/**
 * Scores, floors and orders candidates:
 * - exact dish-name matches first (tier 2), whatever their vector score;
 * - then by FUSED_WEIGHT · fused/maxFused + COVERAGE_WEIGHT · coverage (+ NAME_BONUS for tier 1,
 *   + CLASSIC_BONUS for a well-known dish, + NAMED_INGREDIENT_BONUS · share of wanted ingredients the name names);
 * - ties by id, so pages are stable.
 * The floor drops a candidate that matches nothing the query asked for, and one whose coverage
 * is under RELATIVE_COVERAGE_FLOOR of the best; name matches always stay. A query that asks
 * for no facet at all (only a diet, say) has every filtered candidate fully covered.
 * `maxFused` is the best RRF score possible (Σ leg weights / (k + 1)).
 */
export function rankSearchCandidates(candidates: readonly SearchCandidate[], maxFused: number): RankedCandidate[] {
  const scored = candidates.map((c): RankedCandidate => {
    const coverage = c.match.askedWeight === 0 ? 1 : c.match.matchedWeight / c.match.askedWeight;
    const fused = maxFused > 0 ? Math.min(1, c.fused / maxFused) : 0;
    const prior =
      (c.nameTier === 1 ? NAME_BONUS : 0) +
      (c.classic && coverage > 0 ? CLASSIC_BONUS : 0) +
      (c.withinKnownTime && coverage > 0 ? KNOWN_TIME_BONUS : 0) +
      NAMED_INGREDIENT_BONUS * c.match.namedShare;
    const score = FUSED_WEIGHT * fused + COVERAGE_WEIGHT * coverage + prior;
    // Spelled out rather than spread: this runs for every candidate of every search.
    return {
      id: c.id,
      fused: c.fused,
      nameTier: c.nameTier,
      match: c.match,
      classic: c.classic,
      withinKnownTime: c.withinKnownTime,
      coverage,
      score,
    };
  });
  let best = 0;
  for (const c of scored) if (c.coverage > best) best = c.coverage;
  const kept = scored.filter((c) => c.nameTier > 0 || (c.coverage > 0 && c.coverage >= best * RELATIVE_COVERAGE_FLOOR));
  const exact = (c: RankedCandidate) => (c.nameTier === 2 ? 1 : 0);
  return kept.sort((a, b) => exact(b) - exact(a) || b.score - a.score || compareIds(a.id, b.id));
}
