import { FoodLexicon } from './food-lexicon';
import { QUICK_MAX_MINUTES, QueryParser, extractMaxMinutes, parseNumber } from './query-parser';
import { TextAnalyzer } from './text-analyzer';
import { ParsedQuery } from './text.types';

type Expectation = Partial<
  Pick<
    ParsedQuery,
    | 'ingredients'
    | 'properties'
    | 'cuisines'
    | 'categories'
    | 'excludedIngredients'
    | 'excludedAllergens'
    | 'diets'
    | 'freeText'
    | 'excludedProperties'
    | 'dishes'
    | 'language'
  >
> & {
  maxMinutes?: number | null;
  /** Concepts that must NOT be wanted (e.g. an excluded food must not also be an ingredient). */
  notIngredients?: string[];
};

/** Real-looking queries in both languages; each list is "contains", not "equals", unless noted. */
const TABLE: Array<[string, Expectation]> = [
  [
    '不要香菜的牛肉汤',
    { ingredients: ['beef'], categories: ['soup'], excludedIngredients: ['coriander'], notIngredients: ['coriander'], language: 'zh' },
  ],
  [
    'quick vegetarian curry without coconut',
    { ingredients: ['curry'], diets: ['vegetarian'], excludedIngredients: ['coconut'], maxMinutes: QUICK_MAX_MINUTES, language: 'en' },
  ],
  ['chicken', { ingredients: ['chicken'], maxMinutes: null }],
  ['宫保鸡丁', { ingredients: ['chicken', 'peanut'], properties: ['kung-pao'], dishes: ['kung-pao-chicken'], freeText: ['宫保鸡丁'] }],
  ['vegetarian Indian dessert', { diets: ['vegetarian'], cuisines: ['indian'], categories: ['dessert'] }],
  ['spicy Sichuan tofu', { ingredients: ['tofu'], properties: ['spicy'], cuisines: ['sichuan'] }],
  ['番茄炒蛋', { ingredients: ['tomato', 'egg'], properties: ['stir-fry'] }],
  ['pasta with clams', { ingredients: ['pasta', 'clam'] }],
  ['无麸质', { diets: ['gluten-free'], excludedAllergens: ['gluten'] }],
  ['豆腐', { ingredients: ['tofu'] }],
  ['tofu', { ingredients: ['tofu'] }],
  ['paneer', { ingredients: ['paneer'], notIngredients: ['tofu'] }],
  ['不放辣椒', { excludedIngredients: ['chili-pepper'], notIngredients: ['chili-pepper'] }],
  ['不加葱', { excludedIngredients: ['scallion'] }],
  ['没有牛奶', { excludedIngredients: ['milk'] }],
  ['去掉花生', { excludedIngredients: ['peanut'] }],
  ['no peanuts', { excludedIngredients: ['peanut'] }],
  // Refusals written as "can't eat", "don't", 不能吃, 不想吃, 讨厌, 去葱 …, and after the food ("花生不能吃").
  ['我不能吃花生', { excludedIngredients: ['peanut'], excludedAllergens: ['peanut'], ingredients: [], freeText: [] }],
  ['不能吃花生', { excludedIngredients: ['peanut'], ingredients: [] }],
  ['花生不能吃', { excludedIngredients: ['peanut'], ingredients: [] }],
  ["can't eat peanuts", { excludedIngredients: ['peanut'], ingredients: [], freeText: [] }],
  ["I don't eat pork", { excludedIngredients: ['pork'], ingredients: [], freeText: [] }],
  ['I dont eat pork', { excludedIngredients: ['pork'], ingredients: [] }],
  ['dont like onions', { excludedIngredients: ['onion'], ingredients: [] }],
  ['I hate cilantro', { excludedIngredients: ['coriander'], ingredients: [] }],
  ['never any peanuts', { excludedIngredients: ['peanut'], ingredients: [] }],
  ['free of peanuts', { excludedIngredients: ['peanut'], ingredients: [] }],
  ['nothing with mushrooms', { excludedIngredients: ['mushroom'], ingredients: [] }],
  ['anything but mushrooms', { excludedIngredients: ['mushroom'], ingredients: [] }],
  ['不喜欢洋葱', { excludedIngredients: ['onion'], ingredients: [] }],
  ['不想吃洋葱', { excludedIngredients: ['onion'], ingredients: [] }],
  ['不爱吃香菜', { excludedIngredients: ['coriander'], ingredients: [] }],
  ['讨厌香菜', { excludedIngredients: ['coriander'], ingredients: [] }],
  ['千万别放花生', { excludedIngredients: ['peanut'], ingredients: [] }],
  ['除了香菜都行', { excludedIngredients: ['coriander'], ingredients: [] }],
  ['去葱', { excludedIngredients: ['scallion'], ingredients: [] }],
  ['走葱', { excludedIngredients: ['scallion'], ingredients: [] }],
  ['不沾荤', { excludedIngredients: ['meat'], ingredients: [] }],
  ['孕妇不能喝酒', { excludedIngredients: ['alcohol'], ingredients: [] }],
  ['喜欢吃鱼', { ingredients: ['fish'], excludedIngredients: [] }],
  // Jieba glues a one-character food to 放 / 加: the food is still the one refused.
  ['不要放葱', { excludedIngredients: ['scallion'], ingredients: [], freeText: [] }],
  ['不要放葱和蒜', { excludedIngredients: ['scallion', 'garlic'], ingredients: [] }],
  ['不要放姜', { excludedIngredients: ['ginger'], ingredients: [] }],
  ['不要加糖', { excludedIngredients: ['sugar'], ingredients: [] }],
  ['不要加盐', { excludedIngredients: ['salt'], ingredients: [] }],
  ['without onion or garlic', { excludedIngredients: ['onion', 'garlic'] }],
  ['不要香菜和葱的牛肉面', { ingredients: ['beef', 'noodles'], excludedIngredients: ['coriander', 'scallion'] }],
  // Numbers with 分 that are not times, minimums (no limit can say them), and an at-most cue before.
  ['五分熟牛排', { maxMinutes: null }],
  ['三分糖奶茶', { maxMinutes: null }],
  ['五分熟牛排 30分钟以内', { maxMinutes: 30 }],
  ['1小时以上的炖菜', { maxMinutes: null, freeText: [] }],
  ['超过两小时的汤', { maxMinutes: null }],
  ['stew that takes at least 2 hours', { maxMinutes: null }],
  ['不超过30分钟的鸡肉', { maxMinutes: 30, ingredients: ['chicken'], freeText: [] }],
  // Filler around a time or a diet is not a name to look for.
  ['ready in 15 mins', { maxMinutes: 15, freeText: [] }],
  ['takes 2 hours', { maxMinutes: 120, freeText: [] }],
  ['做好只要10分钟', { maxMinutes: 10, freeText: [] }],
  ['只需要10分钟', { maxMinutes: 10, freeText: [] }],
  ['meatless monday', { diets: ['vegetarian'], freeText: [] }],
  // Lists joined by punctuation, or written as one run at the end: every item is excluded.
  ['不要香菜、葱', { excludedIngredients: ['coriander', 'scallion'], notIngredients: ['coriander', 'scallion'] }],
  ['不要葱姜蒜', { excludedIngredients: ['scallion', 'ginger', 'garlic'], ingredients: [] }],
  ['no onions, garlic', { excludedIngredients: ['onion', 'garlic'], ingredients: [] }],
  // A space beside Chinese text ends the run; a negation before a space still takes the next food.
  ['不要葱 鸡蛋', { excludedIngredients: ['scallion'], ingredients: ['egg'], notIngredients: ['scallion'] }],
  ['不要 香菜', { excludedIngredients: ['coriander'], notIngredients: ['coriander'] }],
  ['鸡肉 不要辣椒', { excludedIngredients: ['chili-pepper'], ingredients: ['chicken'] }],
  ['soy sauce chicken 不要香菜', { excludedIngredients: ['coriander'], ingredients: ['soy-sauce', 'chicken'] }],
  // A run followed by what the dish is stays one exclusion.
  ['不要香菜牛肉汤', { excludedIngredients: ['coriander'], ingredients: ['beef'], notIngredients: ['coriander'] }],
  // Describing words between the negation and its food, and a negation after the food.
  ['beef soup without fresh cilantro', { excludedIngredients: ['coriander'], ingredients: ['beef'], notIngredients: ['coriander'] }],
  ['no chopped onion', { excludedIngredients: ['onion'], notIngredients: ['onion'] }],
  ['牛肉面香菜不要', { excludedIngredients: ['coriander'], notIngredients: ['coriander'] }],
  // A food named for an allergen group excludes the group, as the `exclude` parameter does (oyster sauce, fish sauce).
  ['no shellfish', { excludedIngredients: ['shellfish'], excludedAllergens: ['shellfish'] }],
  ['不要鱼', { excludedAllergens: ['fish'] }],
  ['不吃海鲜', { excludedIngredients: ['seafood'], excludedAllergens: ['fish', 'shellfish'] }],
  ['no seafood', { excludedAllergens: ['fish', 'shellfish'] }],
  ['不要坚果', { excludedIngredients: ['nuts'], excludedAllergens: ['tree-nut', 'peanut'] }],
  ['no nuts', { excludedAllergens: ['tree-nut', 'peanut'] }],
  ['不辣的川菜', { cuisines: ['sichuan'], excludedProperties: ['spicy'], excludedIngredients: ['chili-pepper'], properties: [] }],
  // "Less of it" (少辣, 低糖, 不太辣, less spicy, not too spicy): not wanted, and not refused either.
  ['不太辣的鸡', { ingredients: ['chicken'], properties: [], excludedProperties: [] }],
  ['not too spicy chicken', { ingredients: ['chicken'], properties: [], excludedProperties: [] }],
  ['不要太辣', { properties: [], excludedProperties: [] }],
  ['少辣', { properties: [], freeText: [] }],
  ['less spicy', { properties: [], freeText: [] }],
  ['少糖', { ingredients: [], excludedIngredients: [], freeText: [] }],
  ['低糖', { ingredients: [], excludedIngredients: [] }],
  ['low sugar', { ingredients: [], excludedIngredients: [], freeText: [] }],
  ['少油', { ingredients: [], excludedIngredients: [] }],
  ['less oil', { ingredients: [], excludedIngredients: [] }],
  ['少放盐的鸡蛋汤', { ingredients: ['egg'], notIngredients: ['salt'], excludedIngredients: [] }],
  // "Not X" for a method is a refusal: non-fried, not baked, no oven needed.
  ['非油炸', { excludedProperties: ['deep-fry'], properties: [] }],
  ['不是炸的', { excludedProperties: ['deep-fry'], properties: [] }],
  ['nothing fried', { excludedProperties: ['deep-fry'], properties: [], freeText: [] }],
  ['不用烤箱', { excludedProperties: ['bake'], properties: [] }],
  ['不需要烤箱', { excludedProperties: ['bake'], properties: [] }],
  ['oven-free', { excludedProperties: ['bake'], properties: [] }],
  ['少盐牛肉', { ingredients: ['beef'], notIngredients: ['salt'], excludedIngredients: [] }],
  ['low and slow pork', { ingredients: ['pork'] }],
  ['not spicy chicken', { ingredients: ['chicken'], excludedProperties: ['spicy'], excludedIngredients: ['chili-pepper'] }],
  ['花生过敏', { excludedAllergens: ['peanut'], excludedIngredients: ['peanut'], notIngredients: ['peanut'] }],
  ['对花生和虾过敏', { excludedAllergens: ['peanut', 'shellfish'], freeText: [] }],
  ['海鲜过敏', { excludedAllergens: ['fish', 'shellfish'] }],
  // An allergen word before 过敏 / allergy / intolerant is not also a name to look for.
  ['gluten allergy', { excludedAllergens: ['gluten'], freeText: [] }],
  ['wheat allergy', { excludedAllergens: ['gluten'], freeText: [] }],
  ['gluten intolerant', { excludedAllergens: ['gluten'], freeText: [] }],
  ['麸质过敏', { excludedAllergens: ['gluten'], freeText: [] }],
  ['小麦过敏', { excludedAllergens: ['gluten'], freeText: [] }],
  ['nut allergy', { excludedAllergens: ['tree-nut', 'peanut'] }],
  ['allergic to shellfish', { excludedAllergens: ['shellfish'] }],
  ['milk allergy pancakes', { excludedAllergens: ['dairy'], freeText: ['pancake'] }],
  ['nut-free', { diets: ['nut-free'], excludedAllergens: ['tree-nut', 'peanut'] }],
  ['dairy-free dessert', { diets: ['dairy-free'], excludedAllergens: ['dairy'], categories: ['dessert'] }],
  ['lactose intolerant', { diets: ['dairy-free'], excludedAllergens: ['dairy'] }],
  ['gluten free pasta', { ingredients: ['pasta'], diets: ['gluten-free'] }],
  ['coconut-free curry', { ingredients: ['curry'], excludedIngredients: ['coconut'] }],
  ['素食', { diets: ['vegetarian'] }],
  ['下饭菜', { properties: ['goes-with-rice'], notIngredients: ['rice'] }],
  ['rice cooker recipes', { properties: ['rice-cooker'], notIngredients: ['rice'] }],
  ['空气炸锅鸡翅', { properties: ['air-fry'], ingredients: ['chicken'] }],
  ['素菜 不要蒜', { categories: ['vegetable-dish'], diets: ['vegetarian'], excludedIngredients: ['garlic'] }],
  ['吃素', { diets: ['vegetarian'] }],
  ['vegan', { diets: ['vegan'] }],
  ['纯素的汤', { diets: ['vegan'], categories: ['soup'] }],
  ['30分钟以内的早餐', { categories: ['breakfast'], maxMinutes: 30 }],
  ['半小时', { maxMinutes: 30 }],
  ['一个半小时', { maxMinutes: 90 }],
  ['半个小时', { maxMinutes: 30, freeText: [] }],
  ['半个钟头的晚饭', { maxMinutes: 30 }],
  ['一刻钟', { maxMinutes: 15, freeText: [] }],
  ['half hour dinner', { maxMinutes: 30, freeText: [] }],
  ['dinner in half an hour', { maxMinutes: 30 }],
  ['一小时内能做好的晚餐', { maxMinutes: 60, categories: ['main-course'] }],
  ['10分钟快手早餐', { maxMinutes: 10, categories: ['breakfast'] }],
  ['快手菜', { maxMinutes: QUICK_MAX_MINUTES }],
  ['under 30 minutes', { maxMinutes: 30 }],
  ['in 20 min', { maxMinutes: 20 }],
  ['easy 15-minute breakfast', { maxMinutes: 15, categories: ['breakfast'] }],
  ['dinner in under an hour', { maxMinutes: 60, categories: ['main-course'] }],
  ['红烧肉', { ingredients: ['pork-belly'], properties: ['red-braise'] }],
  ['鱼香肉丝 不要木耳', { ingredients: ['pork'], excludedIngredients: ['wood-ear'], notIngredients: ['wood-ear'] }],
  ['麻婆豆腐', { ingredients: ['tofu'], cuisines: ['sichuan'] }],
  ['酸辣土豆丝', { ingredients: ['potato'], properties: ['hot-sour'] }],
  ['清蒸鲈鱼', { ingredients: ['sea-bass'], properties: ['steam'] }],
  ['凉拌黄瓜', { ingredients: ['cucumber'], properties: ['cold-dressed'] }],
  ['西红柿鸡蛋汤', { ingredients: ['tomato', 'egg'], categories: ['soup'] }],
  ['steamed fish with ginger', { ingredients: ['fish', 'ginger'], properties: ['steam'] }],
  ['palak paneer', { ingredients: ['spinach', 'paneer'], dishes: ['palak-paneer'] }],
  ['chicken tikka masala', { ingredients: ['chicken'], freeText: ['tikka'] }],
  ['italian first course with mushrooms', { ingredients: ['mushroom'], cuisines: ['italian'], categories: ['first-course'] }],
  ['risotto', { freeText: ['risotto'] }],
  // Traditional characters read as their simplified forms.
  ['雞', { ingredients: ['chicken'] }],
  ['牛肉麵', { ingredients: ['beef', 'noodles'] }],
  ['宮保雞丁', { dishes: ['kung-pao-chicken'], freeText: ['宫保鸡丁'] }],
  // A one-word dish name is the dish, as its Chinese name and longer English names are.
  ['tiramisu', { dishes: ['tiramisu'], categories: ['dessert'], freeText: ['tiramisu'] }],
  ['carbonara', { dishes: ['carbonara'], cuisines: ['italian'] }],
  ['牛肉 土豆 胡萝卜', { ingredients: ['beef', 'potato', 'carrot'] }],
  ['potato, onion, tomato', { ingredients: ['potato', 'onion', 'tomato'] }],
  ['怎么做可乐鸡翅', { ingredients: ['chicken'], dishes: ['cola-wings'] }],
  ['不吃猪肉的炖菜', { excludedIngredients: ['pork'], properties: ['stew'] }],
  ['无糖甜品', { excludedIngredients: ['sugar'], categories: ['dessert'] }],
  ['fish curry kerala', { ingredients: ['fish', 'curry'], cuisines: ['south-indian'] }],
  ['粤菜 蒸 海鲜', { ingredients: ['seafood'], properties: ['steam'], cuisines: ['cantonese'] }],
  ['chicken 咖喱', { ingredients: ['chicken', 'curry'], language: 'mixed' }],
  ['low-carb keto bowl', { freeText: ['keto'] }],
  ['sweet and sour pork', { ingredients: ['pork'], properties: ['sweet-sour'] }],
  ['麻辣香锅', { properties: ['mala'] }],
  ['Cantonese steamed shrimp', { ingredients: ['shrimp'], properties: ['steam'], cuisines: ['cantonese'] }],
  ['deep fried snacks', { properties: ['deep-fry'], categories: ['snack'] }],
  ['baked salmon with lemon', { ingredients: ['salmon', 'lemon'], properties: ['bake'] }],
  ['芫荽拌豆腐', { ingredients: ['coriander', 'tofu'], properties: ['cold-dressed'] }],
  ['水产 不要鱼', { categories: ['seafood'], excludedIngredients: ['fish'] }],
];

describe('QueryParser', () => {
  const text = new TextAnalyzer(FoodLexicon.load(undefined));
  const parser = new QueryParser(text);

  it('has a table of at least 50 queries', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(50);
  });

  it.each(TABLE)('%s', (query, expected) => {
    const parsed = parser.parse(query);
    expect(parsed.text).toBe(query);
    for (const [key, value] of Object.entries(expected)) {
      if (key === 'maxMinutes') {
        if (value === null) expect(parsed.maxMinutes).toBeUndefined();
        else expect(parsed.maxMinutes).toBe(value);
      } else if (key === 'notIngredients') {
        for (const id of value as string[]) expect(parsed.ingredients).not.toContain(id);
      } else if (key === 'language') {
        expect(parsed.language).toBe(value);
      } else if (Array.isArray(value) && value.length === 0) {
        expect(parsed[key as keyof ParsedQuery]).toEqual([]);
      } else {
        expect(parsed[key as keyof ParsedQuery]).toEqual(expect.arrayContaining(value as string[]));
      }
    }
  });

  it('reads 素菜 as vegetarian but an English "side dish" as a course only', () => {
    expect(parser.parse('素菜').diets).toEqual(['vegetarian']);
    expect(parser.parse('side dish with potatoes').diets).toEqual([]);
  });

  it('keeps unrecognised words for lexical matching and drops filler', () => {
    const parsed = parser.parse('我想吃一个好吃的 biryani');
    expect(parsed.freeText).toEqual(['biryani']);
  });

  it('reads Chinese and Arabic numbers', () => {
    expect(parseNumber('二十')).toBe(20);
    expect(parseNumber('四十五')).toBe(45);
    expect(parseNumber('十五')).toBe(15);
    expect(parseNumber('45')).toBe(45);
    expect(extractMaxMinutes('三十分钟内').minutes).toBe(30);
    expect(extractMaxMinutes('2 hours max').minutes).toBe(120);
    expect(extractMaxMinutes('vitamin b12').minutes).toBeUndefined();
  });
});
