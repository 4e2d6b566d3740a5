import { RecipeAnalysis } from '../../text/text.types';
import { FoodConceptModel, foodConceptModelId } from '../food-concepts/food-concept.model';
import { FoodConceptTrainer } from '../food-concepts/food-concept.trainer';
import { parsedQuery } from '../../../test/fixtures/food-concepts';
import { cosine } from '../similarity';
import { learnedConceptId } from './learned-concepts';

function analysis(ingredients: string[], unresolved: string[], properties: string[] = []): RecipeAnalysis {
  return {
    language: 'en',
    ingredientConcepts: ingredients,
    unresolvedIngredients: unresolved,
    propertyConcepts: properties,
    allergens: [],
    diets: [],
    terms: [...ingredients, ...properties],
  };
}

const MEXICAN = ['black-bean', 'lime', 'cumin', 'chili-pepper'];
const CHINESE = ['soy-sauce', 'ginger', 'scallion', 'sesame-oil'];

/** Six Mexican-style and six Chinese-style dishes; the Mexican ones list tortillas the lexicon does not know. */
function catalog(): RecipeAnalysis[] {
  const out: RecipeAnalysis[] = [];
  for (let i = 0; i < 6; i++) {
    const tortilla = ['2 corn tortillas', 'Corn Tortillas, warmed', 'corn tortilla', '8 small corn tortillas'][i % 4];
    out.push(
      analysis(
        [...MEXICAN.slice(0, 3 + (i % 2)), i % 3 === 0 ? 'tomato' : 'onion'],
        [tortilla, ...(i < 2 ? ['queso fresco'] : [])],
        ['mexican'],
      ),
    );
    out.push(analysis([...CHINESE.slice(0, 3 + (i % 2)), i % 3 === 0 ? 'pork' : 'tofu'], i < 3 ? ['Shaoxing wine'] : [], ['chinese']));
  }
  return out;
}

describe('learned concepts', () => {
  const model = new FoodConceptTrainer().train(catalog());
  const tortilla = learnedConceptId('corn tortilla');

  it('learns a concept from an unresolved name that recurs in enough recipes, whatever way it is written', () => {
    expect(model.learnedConcepts).toEqual([learnedConceptId('corn tortilla'), learnedConceptId('shaoxing wine')]);
    expect(model.documentFrequency(tortilla)).toBe(6);
    // Two recipes are too few to place a name.
    expect(model.learnedConceptFor('queso fresco')).toBeUndefined();
    expect(model.unresolved).toEqual([
      { name: 'corn tortilla', recipes: 6 },
      { name: 'shaoxing wine', recipes: 3 },
      { name: 'queso fresco', recipes: 2 },
    ]);
  });

  it('places a learned concept next to the lexicon concepts it is cooked with', () => {
    const neighbours = model.nearestConcepts(tortilla, 4, (id) => !id.startsWith('learned:')).map((n) => n.id);
    expect(neighbours.filter((id) => [...MEXICAN, 'mexican'].includes(id)).length).toBeGreaterThanOrEqual(3);
    expect(neighbours).not.toContain('soy-sauce');
  });

  it('gives a dish of learned concepts alone an ingredients vector close to the dishes that share them', () => {
    const onlyUnknown = model.embedRecipe(analysis([], ['warm corn tortillas']));
    const mexican = model.embedRecipe(catalog()[0]);
    const chinese = model.embedRecipe(catalog()[1]);
    expect(onlyUnknown.dense.ingredients).toBeDefined();
    expect(cosine(onlyUnknown.dense.ingredients!, mexican.dense.ingredients!)).toBeGreaterThan(
      cosine(onlyUnknown.dense.ingredients!, chinese.dense.ingredients!),
    );
  });

  it("finds a learned concept named by a query's unrecognised words", () => {
    const vectors = model.embedQuery(parsedQuery({ freeText: ['corn', 'tortillas'] }));
    expect(vectors.dense.ingredients).toBeDefined();
    expect(model.embedQuery(parsedQuery({ freeText: ['spaceship'] })).dense.ingredients).toBeUndefined();
  });

  it('never learns a name the lexicon resolves once normalised', () => {
    const withLexicon = new FoodConceptTrainer({ isKnown: (name) => name === 'shaoxing wine' }).train(catalog());
    expect(withLexicon.learnedConcepts).toEqual([tortilla]);
    expect(withLexicon.unresolved.map((u) => u.name)).not.toContain('shaoxing wine');
  });

  it('keeps the model id of a catalog without learned concepts, so a covered catalog is not re-indexed', () => {
    const covered = catalog().map((a) => ({ ...a, unresolvedIngredients: [] }));
    const plain = new FoodConceptTrainer().train(covered);
    expect(plain.learnedConcepts).toEqual([]);
    expect(plain.modelId).toBe(foodConceptModelId(plain.params, plain.trainedOn));
    expect(model.modelId).not.toBe(foodConceptModelId(model.params, model.trainedOn));
  });

  it('stores learned concepts and the unresolved names with the model', () => {
    const restored = FoodConceptModel.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(restored.modelId).toBe(model.modelId);
    expect(restored.learnedConcepts).toEqual(model.learnedConcepts);
    expect(restored.unresolved).toEqual(model.unresolved);
    expect(restored.conceptVector(tortilla)).toEqual(model.conceptVector(tortilla));
  });
});
