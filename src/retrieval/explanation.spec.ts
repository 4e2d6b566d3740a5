import { FoodLexicon } from '../text/food-lexicon';
import { ExplanationBuilder } from './explanation';

describe('ExplanationBuilder', () => {
  const builder = new ExplanationBuilder(FoodLexicon.load(undefined));
  const kungPao = {
    name: '宫保鸡丁',
    category: 'meat-dish',
    cuisine: '川菜',
    diets: ['gluten-free'],
    propertyConcepts: ['sichuan', 'spicy', 'stir-fry', 'meat-dish'],
  };
  const ingredients = [
    { name: '鸡腿肉', concept: 'chicken' },
    { name: '花生米', concept: 'peanut' },
    { name: '盐', concept: 'salt' },
    { name: '神秘酱料' },
  ];

  it('names the recipe’s own ingredients for an equal, broader or narrower wanted concept', () => {
    expect(builder.matchedIngredients(ingredients, ['chicken'])).toEqual(['鸡腿肉']);
    expect(builder.matchedIngredients(ingredients, ['poultry', 'peanut'])).toEqual(['鸡腿肉', '花生米']);
    // Asking for something narrower still explains a recipe that only names the broader food.
    expect(builder.matchedIngredients([{ name: 'meat', concept: 'meat' }], ['chicken'])).toEqual(['meat']);
  });

  it('names nothing for unrelated concepts, unresolved lines or an empty wish list', () => {
    expect(builder.matchedIngredients(ingredients, ['beef'])).toEqual([]);
    expect(builder.matchedIngredients(ingredients, [])).toEqual([]);
  });

  it('puts main ingredients before sauces and spices', () => {
    const lines = [
      { name: '生抽', concept: 'soy-sauce' },
      { name: '花椒', concept: 'sichuan-pepper' },
      { name: '鸡胸肉', concept: 'chicken' },
      { name: '花生', concept: 'peanut' },
    ];
    expect(builder.matchedIngredients(lines, ['soy-sauce', 'sichuan-pepper', 'chicken', 'peanut'])).toEqual([
      '鸡胸肉',
      '花生',
      '生抽',
      '花椒',
    ]);
  });

  it('lists each ingredient name once, in recipe order', () => {
    const twice = [
      { name: '鸡腿', concept: 'chicken' },
      { name: '鸡腿', concept: 'chicken' },
      { name: '花生', concept: 'peanut' },
    ];
    expect(builder.matchedIngredients(twice, ['peanut', 'chicken'])).toEqual(['鸡腿', '花生']);
  });

  it('reports the user’s own words for matched properties, cuisines and categories', () => {
    const terms = builder.matchedTerms(
      { properties: ['spicy'], cuisines: ['sichuan'], categories: ['meat-dish'], queryText: '辣的川菜 荤菜' },
      kungPao,
    );
    expect(terms.sort()).toEqual(['川菜', '荤菜', '辣的'].sort());
  });

  it('matches a broader cuisine and reports the English word as typed', () => {
    expect(builder.matchedTerms({ cuisines: ['chinese'], queryText: 'Chinese food' }, kungPao)).toEqual(['chinese food']);
  });

  it('does not claim a narrower cuisine or flavour than the recipe is known by', () => {
    const onlyChinese = { name: '可乐鸡翅', cuisine: 'chinese', propertyConcepts: ['chinese', 'spicy'] };
    expect(builder.matchedTerms({ cuisines: ['sichuan'], queryText: '川菜' }, onlyChinese)).toEqual([]);
    expect(builder.matchedTerms({ properties: ['spicy'], queryText: 'spicy' }, onlyChinese)).toEqual(['spicy']);
  });

  it('falls back to concept ids when the words cannot be found in the query', () => {
    expect(builder.matchedTerms({ properties: ['spicy'], diets: ['gluten-free'] }, kungPao)).toEqual(['spicy', 'gluten-free']);
  });

  it('leaves out what the recipe does not match', () => {
    expect(
      builder.matchedTerms({ properties: ['sweet'], cuisines: ['indian'], categories: ['dessert'], diets: ['vegan'] }, kungPao),
    ).toEqual([]);
  });

  it('matches free words against the recipe name', () => {
    expect(builder.matchedTerms({ freeText: ['宫保', '麻婆'] }, kungPao)).toEqual(['宫保']);
    expect(builder.matchedTerms({ freeText: ['masala'] }, { name: 'Chicken Tikka Masala' })).toEqual(['masala']);
  });
});
