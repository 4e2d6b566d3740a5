import { CatalogRecipe } from '../search/catalog-recipe';
import { FoodLexicon } from '../text/food-lexicon';
import { ConceptSpace } from './dish-vectors';
import { conceptNames, recipeFacts } from './recipe-facts';

describe('recipe facts', () => {
  const lexicon = FoodLexicon.load(undefined);
  const space: ConceptSpace = { dimensions: 2, conceptVector: () => [1, 0], idf: () => 1 };

  it('offers ingredients, methods and cuisines to define a family, but not diets, which only say what a dish lacks', () => {
    const recipe = {
      summary: { id: 'r1', name: '鸡肉炒饭', source: 's', language: 'zh', category: null, totalMinutes: 20 },
      ingredients: [{ name: '鸡肉', concept: 'chicken' }],
      ingredientConcepts: ['chicken'],
      impliedIngredients: [],
      propertyConcepts: ['stir-fry', 'dairy-free', 'gluten-free', 'vegetarian'],
      nameKey: '鸡肉炒饭',
      nameIngredients: ['chicken'],
    } as unknown as CatalogRecipe;
    const facts = recipeFacts(recipe, { tags: [], steps: 3, hasDescription: false }, space, lexicon);
    expect(facts.concepts).toEqual(['chicken', 'stir-fry']);
  });
});

describe('concept display names', () => {
  const lexicon = FoodLexicon.load(undefined);

  it('names a concept by the word for the whole group, not its first or a narrow form', () => {
    expect(conceptNames(lexicon, 'bread')).toEqual({ zh: '面包', en: 'bread' });
    expect(conceptNames(lexicon, 'pork')).toEqual({ zh: '猪肉', en: 'pork' });
    expect(conceptNames(lexicon, 'chicken')).toEqual({ zh: '鸡肉', en: 'chicken' });
    expect(conceptNames(lexicon, 'egg')).toEqual({ zh: '鸡蛋', en: 'egg' });
  });
});
