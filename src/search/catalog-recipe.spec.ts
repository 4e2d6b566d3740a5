import { recipePayload } from '../indexing/recipe-document';
import { Recipe } from '../recipes/recipe.types';
import { FoodLexicon } from '../text/food-lexicon';
import { buildCatalogRecipe, compileCatalogFilter } from './catalog-recipe';

const lexicon = FoodLexicon.load(undefined);

/** A small deterministic generator, so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const ingredientIds = lexicon.all('ingredient').map((c) => c.id);
const propertyIds = [...lexicon.all('flavor'), ...lexicon.all('method')].map((c) => c.id);
const names = ['香菜拌牛肉', '宫保鸡丁', '番茄炒蛋', '酸辣汤', 'Chicken tikka masala', 'Tiramisu', 'Garlic bread', '清蒸鱼', 'Plain dish'];

function build(seed: number) {
  const next = random(seed);
  const pick = <T>(list: readonly T[], n: number) => Array.from({ length: n }, () => list[Math.floor(next() * list.length)]);
  const ingredients = pick(ingredientIds, 1 + Math.floor(next() * 6));
  const entity = {
    id: `r${seed}`,
    name: pick(names, 1)[0],
    source: 's',
    language: 'zh',
    category: null,
    cuisine: null,
    diets: [],
    flavors: [],
    allergens: pick(['gluten', 'egg', 'peanut', 'dairy'], Math.floor(next() * 3)),
    totalMinutes: null,
  } as unknown as Recipe;
  const analysis = {
    language: 'zh',
    ingredientConcepts: [...new Set(ingredients)],
    unresolvedIngredients: [],
    propertyConcepts: pick(propertyIds, Math.floor(next() * 3)),
    allergens: [],
    diets: [],
    terms: [],
  };
  const payload = recipePayload(entity, analysis, (id) => lexicon.ancestors(id));
  const recipe = buildCatalogRecipe(lexicon, {
    summary: {
      id: entity.id,
      name: entity.name,
      source: 's',
      sourceId: entity.id,
      category: null,
      cuisine: null,
      language: 'zh',
      diets: [],
      flavors: [],
      totalMinutes: null,
      difficulty: null,
    },
    ingredients: ingredients.map((concept) => ({ name: concept, concept })),
    analysis,
    payload,
  });
  return { recipe, payload };
}

describe('catalog recipe concept lists', () => {
  it('hold what Sets of the payload plus the implied ingredients would hold, in the same order, each once', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const { recipe, payload } = build(seed);
      const concepts = new Set(payload.concepts);
      const allergens = new Set(payload.allergens);
      for (const { concept } of recipe.impliedIngredients) {
        concepts.add(concept);
        lexicon.ancestors(concept).forEach((a) => concepts.add(a));
        lexicon.allergensOf(concept).forEach((a) => allergens.add(a));
      }
      expect({ seed, concepts: recipe.concepts }).toEqual({ seed, concepts: [...concepts] });
      expect({ seed, allergens: recipe.allergens }).toEqual({ seed, allergens: [...allergens] });
    }
  });

  it('shares the payload’s list when the name implies nothing new, and never changes the payload', () => {
    const { recipe, payload } = build(7);
    const beefOnly = {
      language: 'zh' as const,
      ingredientConcepts: ['beef'],
      unresolvedIngredients: [],
      propertyConcepts: [],
      allergens: [],
      diets: [],
      terms: [],
    };
    const plain = buildCatalogRecipe(lexicon, {
      ...{ summary: { ...recipe.summary, name: 'Plain dish' } },
      ingredients: recipe.ingredients,
      analysis: beefOnly,
      payload: { ...payload, concepts: ['beef', 'meat'], allergens: [] },
    });
    expect(plain.concepts).toBe(plain.payload.concepts);
    expect(plain.impliedIngredients).toEqual([]);

    const implied = buildCatalogRecipe(lexicon, {
      summary: { ...recipe.summary, name: '香菜拌牛肉' },
      ingredients: [{ name: '牛肉', concept: 'beef' }],
      analysis: beefOnly,
      payload: { ...payload, concepts: ['beef', 'meat'], allergens: [] },
    });
    expect(implied.concepts).toContain('coriander');
    expect(implied.payload.concepts).toEqual(['beef', 'meat']);
  });

  it('excludes a recipe by a concept or allergen only its name implies', () => {
    const { recipe, payload } = build(3);
    const dish = buildCatalogRecipe(lexicon, {
      summary: { ...recipe.summary, name: '宫保鸡丁' },
      ingredients: [{ name: '鸡肉', concept: 'chicken' }],
      analysis: {
        language: 'zh',
        ingredientConcepts: ['chicken'],
        unresolvedIngredients: [],
        propertyConcepts: [],
        allergens: [],
        diets: [],
        terms: [],
      },
      payload: { ...payload, concepts: ['chicken'], allergens: [] },
    });
    expect(compileCatalogFilter({ excludeConcepts: ['peanut'] })(dish)).toBe(false);
    expect(dish.allergens.length).toBeGreaterThan(0);
    expect(compileCatalogFilter({ excludeAllergens: [dish.allergens[0]] })(dish)).toBe(false);
    expect(compileCatalogFilter({ excludeConcepts: ['fish'] })(dish)).toBe(true);
  });
});
