import { FoodLexicon } from '../text/food-lexicon';
import { buildCatalogRecipe } from './catalog-recipe';
import { SeededRandom } from '../common/seeded-random';
import { conceptStrength, facetMatcher, matchFacets, QueryFacets, rankSearchCandidates, SearchCandidate } from './search-ranker';

const lexicon = FoodLexicon.load(undefined);

function recipe(id: string, name: string, ingredients: string[], properties: string[] = [], category: string | null = null) {
  return buildCatalogRecipe(lexicon, {
    summary: {
      id,
      name,
      source: 's',
      sourceId: id,
      category,
      cuisine: null,
      language: 'zh',
      diets: [],
      flavors: [],
      totalMinutes: null,
      difficulty: null,
    },
    ingredients: ingredients.map((c) => ({ name: c, concept: c })),
    analysis: {
      language: 'zh',
      ingredientConcepts: ingredients,
      unresolvedIngredients: [],
      propertyConcepts: properties,
      allergens: [],
      diets: [],
      terms: [],
    },
    payload: {
      recipeId: id,
      name,
      source: 's',
      language: 'zh',
      category,
      cuisine: null,
      diets: [],
      flavors: [],
      allergens: [],
      concepts: [...new Set(ingredients.flatMap((c) => [c, ...lexicon.ancestors(c)]))],
      totalMinutes: null,
    },
  });
}

const facets = (partial: Partial<QueryFacets>): QueryFacets => ({
  ingredients: [],
  properties: [],
  cuisines: [],
  categories: [],
  words: [],
  ...partial,
});

describe('search ranking', () => {
  it('grades concept matches: narrower or equal fully, broader by half', () => {
    expect(conceptStrength(lexicon, ['chicken'], 'poultry')).toBe(1);
    expect(conceptStrength(lexicon, ['meat'], 'chicken')).toBe(0.5);
    expect(conceptStrength(lexicon, ['beef'], 'chicken')).toBe(0);
  });

  it('counts ingredients, cuisine, course (also named in the dish name) and name words', () => {
    const soup = recipe('1', '清炖牛肉汤', ['beef', 'radish']);
    const match = matchFacets(lexicon, facets({ ingredients: ['beef'], categories: ['soup'], words: ['清炖'] }), soup);
    expect(match.ingredients).toEqual(['beef']);
    expect(match.matchedWeight).toBe(match.askedWeight);
    expect(match.namedShare).toBe(1);
  });

  it('takes ingredients the name implies as the recipe’s own', () => {
    const dish = recipe('2', '香菜拌牛肉', ['beef']);
    expect(dish.concepts.includes('coriander')).toBe(true);
    expect(dish.impliedIngredients.map((i) => i.concept)).toEqual(['coriander']);
  });

  const candidate = (id: string, fused: number, matched: number, asked = 2, nameTier: 0 | 1 | 2 = 0): SearchCandidate => ({
    id,
    fused,
    nameTier,
    match: { ingredients: [], namedShare: 0, matchedWeight: matched, askedWeight: asked },
  });

  it('puts exact names first, then coverage and fused rank, ties by id', () => {
    const ranked = rankSearchCandidates(
      [candidate('c', 0.03, 1), candidate('b', 0.01, 2), candidate('a', 0.01, 2), candidate('z', 0, 1, 2, 2)],
      0.05,
    );
    expect(ranked.map((c) => c.id)).toEqual(['z', 'a', 'b', 'c']);
  });

  it('prefers a dish known to fit a time limit over one whose time is unknown', () => {
    const unknown = candidate('a', 0.02, 2);
    const known = { ...candidate('b', 0.02, 2), withinKnownTime: true };
    expect(rankSearchCandidates([unknown, known], 0.05).map((c) => c.id)).toEqual(['b', 'a']);
  });

  it('drops candidates matching nothing or under half the best coverage, keeps name matches', () => {
    const ranked = rankSearchCandidates(
      [candidate('full', 0.01, 4, 4), candidate('weak', 0.05, 1, 4), candidate('none', 0.05, 0, 4), candidate('named', 0, 0, 4, 1)],
      0.05,
    );
    expect(ranked.map((c) => c.id)).toEqual(['full', 'named']);
  });

  it('treats every candidate as covered when the query asks for no facet (a diet alone)', () => {
    expect(rankSearchCandidates([candidate('a', 0.02, 0, 0)], 0.05)).toHaveLength(1);
  });
});

describe('matchFacets with learned concepts', () => {
  const withLines = (id: string, lines: Array<{ name: string; concept?: string }>) => ({
    ...recipe(
      id,
      'Pozole',
      lines.flatMap((l) => (l.concept ? [l.concept] : [])),
    ),
    ingredients: lines,
  });

  it('matches a learned concept on a line the lexicon left unresolved, however the line is written', () => {
    const pozole = withLines('p1', [{ name: '2 cups hominy, drained' }, { name: 'pork', concept: 'pork' }]);
    const match = matchFacets(lexicon, facets({ ingredients: ['learned:hominy', 'pork'] }), pozole);
    expect(match.ingredients).toEqual(['learned:hominy', 'pork']);
    expect(match.matchedWeight).toBe(match.askedWeight);
  });

  it('does not match a recipe without such a line', () => {
    const stew = withLines('p2', [{ name: 'pork', concept: 'pork' }, { name: 'masa harina' }]);
    expect(matchFacets(lexicon, facets({ ingredients: ['learned:hominy'] }), stew).matchedWeight).toBe(0);
  });
});

describe('facetMatcher', () => {
  /** The plain reading of the facets, recipe by recipe, that the matcher must equal. */
  function plainMatch(query: QueryFacets, dish: ReturnType<typeof recipe>) {
    const ingredients: string[] = [];
    let matched = 0;
    let named = 0;
    for (const wanted of query.ingredients) {
      const strength = dish.concepts.includes(wanted)
        ? 1
        : conceptStrength(lexicon, dish.ingredientConcepts, wanted) ||
          conceptStrength(
            lexicon,
            dish.impliedIngredients.map((i) => i.concept),
            wanted,
          );
      if (strength > 0) ingredients.push(wanted);
      matched += strength;
      if (dish.nameIngredients.some((n) => lexicon.isA(n, wanted))) named++;
    }
    if (query.cuisines.length > 0) matched += Math.max(...query.cuisines.map((c) => conceptStrength(lexicon, dish.propertyConcepts, c)));
    const course = (slug: string) => lexicon.courseForCategory(slug)?.id;
    if (query.categories.some((slug) => dish.summary.category === slug || dish.propertyConcepts.includes(course(slug) ?? ''))) matched += 1;
    for (const p of query.properties) matched += conceptStrength(lexicon, dish.propertyConcepts, p) * 0.5;
    const namedShare = query.ingredients.length > 0 ? named / query.ingredients.length : 0;
    return { ingredients, namedShare, matchedWeight: matched };
  }

  it('matches as the plain reading does, over random dishes and queries of the lexicon’s concepts', () => {
    const rng = new SeededRandom(11);
    const pick = <T>(items: readonly T[], n: number): T[] => Array.from({ length: n }, () => items[rng.nextInt(items.length)]);
    const ingredientIds = lexicon.all('ingredient').map((c) => c.id);
    const propertyIds = (['flavor', 'method', 'course', 'cuisine'] as const).flatMap((kind) => lexicon.all(kind).map((c) => c.id));
    // Dish names that imply ingredients (香菜 → coriander, 鸡丁 → chicken) and well-known dishes.
    const names = ['香菜拌牛肉', '宫保鸡丁', '番茄炒蛋', '清炖牛肉汤', 'Pozole', '麻婆豆腐', 'chicken tikka masala'];
    const dishes = Array.from({ length: 60 }, (_, i) =>
      recipe(
        `d${i}`,
        names[i % names.length],
        pick(ingredientIds, 1 + rng.nextInt(8)),
        pick(propertyIds, rng.nextInt(5)),
        i % 3 === 0 ? 'soup' : null,
      ),
    );
    let nonZero = 0;
    for (let q = 0; q < 40; q++) {
      // Wanted concepts drawn from the dishes' own ingredients and their ancestors, so that exact,
      // narrower and broader matches all occur.
      const near = dishes[rng.nextInt(dishes.length)];
      const related = [...near.ingredientConcepts, ...near.ingredientConcepts.flatMap((c) => lexicon.ancestors(c))];
      const query = facets({
        ingredients: [...pick(related, 1 + rng.nextInt(2)), ...pick(ingredientIds, rng.nextInt(2))],
        cuisines: pick(
          lexicon.all('cuisine').map((c) => c.id),
          rng.nextInt(2),
        ),
        categories: rng.nextInt(2) === 0 ? ['soup'] : [],
        properties: pick(propertyIds, rng.nextInt(2)),
      });
      const match = facetMatcher(lexicon, query);
      for (const dish of dishes) {
        const got = match(dish);
        const want = plainMatch(query, dish);
        expect({ ingredients: got.ingredients, namedShare: got.namedShare, matchedWeight: got.matchedWeight }).toEqual(want);
        if (got.matchedWeight > 0) nonZero++;
      }
    }
    expect(nonZero).toBeGreaterThan(200);
  });
});
