import { buildCatalogRecipe } from '../../search/catalog-recipe';
import { FoodLexicon } from '../../text/food-lexicon';
import { CatalogView } from '../../search/catalog-view';
import { conceptSimilarity, conceptSimilarityOf, ConceptSpace, dishFeatures } from './concept-features';

const lexicon = FoodLexicon.load(undefined);

function dish(id: string, ingredients: string[], cuisine: string | null = null, category: string | null = 'main') {
  return buildCatalogRecipe(lexicon, {
    summary: {
      id,
      name: id,
      source: 's',
      sourceId: id,
      category,
      cuisine,
      language: 'en',
      diets: [],
      flavors: [],
      totalMinutes: null,
      difficulty: null,
    },
    ingredients: ingredients.map((c) => ({ name: c, concept: c })),
    analysis: {
      language: 'en',
      ingredientConcepts: ingredients,
      unresolvedIngredients: [],
      propertyConcepts: cuisine ? [cuisine] : [],
      allergens: [],
      diets: [],
      terms: [],
    },
    payload: {
      recipeId: id,
      name: id,
      source: 's',
      language: 'en',
      category,
      cuisine,
      diets: [],
      flavors: [],
      allergens: [],
      concepts: [...new Set(ingredients.flatMap((c) => [c, ...lexicon.ancestors(c)]))],
      totalMinutes: null,
    },
  });
}

describe('concept features', () => {
  it('describe a dish by its ingredients with their ancestors, its properties, category and cuisine', () => {
    const features = dishFeatures(dish('a', ['chicken'], 'sichuan'));
    expect(features).toEqual(expect.arrayContaining(['i:chicken', 'i:poultry', 'i:meat', 'p:sichuan', 'cuisine:sichuan', 'category:main']));
  });

  it('find two dishes alike through a shared ancestor, and rare shared features count more than common ones', () => {
    const catalog = [
      dish('chicken', ['chicken'], 'italian'),
      dish('beef', ['beef'], 'italian'),
      dish('shrimp', ['shrimp'], 'italian'),
      dish('chicken-sichuan', ['chicken'], 'sichuan'),
      ...Array.from({ length: 6 }, (_, i) => dish(`filler-${i}`, ['shrimp'], 'italian')),
    ];
    const space = ConceptSpace.of(catalog);
    const v = (i: number) => space.vector(catalog[i]);
    // chicken and beef are both meat; shrimp is not.
    expect(conceptSimilarity(v(0), v(1))).toBeGreaterThan(conceptSimilarity(v(0), v(2)));
    // Sharing the rare cuisine (sichuan) is not needed for chicken dishes to be close, but the
    // italian chicken is closer to the italian beef than the sichuan chicken is.
    expect(conceptSimilarity(v(0), v(1))).toBeGreaterThan(conceptSimilarity(v(3), v(1)));
    expect(conceptSimilarity(v(0), v(0))).toBeCloseTo(1, 10);
    expect(space.idf('cuisine:sichuan')).toBeGreaterThan(space.idf('cuisine:italian'));
  });

  it('give the numbered form the similarity of the named one, whichever dish has more features', () => {
    const catalog = [
      dish('chicken', ['chicken'], 'italian'),
      dish('beef', ['beef', 'onion', 'garlic'], 'italian'),
      dish('shrimp', ['shrimp', 'garlic'], 'sichuan'),
      dish('tofu', ['tofu'], 'sichuan'),
    ];
    const space = ConceptSpace.of(catalog);
    for (const a of catalog) {
      for (const b of catalog) {
        expect(conceptSimilarityOf(space.compactVector(a), space.compactVector(b))).toBeCloseTo(
          conceptSimilarity(space.vector(a), space.vector(b)),
          12,
        );
      }
    }
    expect(conceptSimilarityOf(space.compactVector(catalog[1]), space.compactVector(catalog[2]))).toBeGreaterThan(0);
    expect(conceptSimilarityOf(space.compactVector(catalog[0]), space.compactVector(catalog[3]))).toBeLessThan(
      conceptSimilarityOf(space.compactVector(catalog[0]), space.compactVector(catalog[1])),
    );
  });

  it('derive the space of a changed catalog from the last one exactly as counting it afresh', () => {
    const ingredients = ['chicken', 'beef', 'shrimp', 'tofu', 'garlic', 'onion', 'pork'];
    const cuisines = ['italian', 'sichuan', null];
    let n = 0;
    const random = (i: number) => dish(`d${n++}`, [ingredients[i % 7], ingredients[(i * 3) % 7]], cuisines[i % 3], i % 2 ? 'main' : 'soup');
    let view = CatalogView.of(
      Array.from({ length: 40 }, (_, i) => random(i)),
      lexicon,
    );
    let space = ConceptSpace.of(view.values());
    for (let round = 0; round < 6; round++) {
      const ids = [...view.ids()];
      const edited = ids.slice(round, round + 3).map((id, i) => {
        const recipe = random(round * 5 + i);
        return { ...recipe, summary: { ...recipe.summary, id } };
      });
      const next = view.next([...edited, random(round + 11)], [ids[ids.length - 1 - round]]);
      const changes = next.changesSince(view)!;
      expect(changes.added).toHaveLength(4);
      expect(changes.removed).toHaveLength(4);
      space = space.updated(changes.added, changes.removed);
      const fresh = ConceptSpace.of(next.values());
      for (const recipe of next.values()) expect([...space.vector(recipe)]).toEqual([...fresh.vector(recipe)]);
      view = next;
    }
    // A rebuilt view shares no base with the one before: no diff.
    expect(CatalogView.of(view.values(), lexicon).changesSince(view)).toBeNull();
  });
});
