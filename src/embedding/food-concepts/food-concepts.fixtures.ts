import { emptyParsedQuery } from '../../text/query-parser';
import { ParsedQuery, RecipeAnalysis } from '../../text/text.types';

/** Test-only: hand-tagged analyses, shaped like the analyzer's output, for a small mixed catalog. */
export interface FixtureRecipe {
  name: string;
  analysis: RecipeAnalysis;
}

function recipe(
  name: string,
  language: string,
  ingredientConcepts: string[],
  propertyConcepts: string[],
  nameTerms: string[],
  diets: string[] = [],
): FixtureRecipe {
  return {
    name,
    analysis: {
      language,
      ingredientConcepts,
      unresolvedIngredients: [],
      propertyConcepts,
      allergens: [],
      diets,
      terms: [...ingredientConcepts, ...propertyConcepts, ...nameTerms],
    },
  };
}

const CHINESE_BASE = ['soy-sauce', 'ginger', 'garlic', 'scallion', 'cooking-wine', 'salt', 'vegetable-oil'];
const VEG = ['vegetarian'];

export const FIXTURE_CATALOG: FixtureRecipe[] = [
  recipe(
    '宫保鸡丁',
    'zh',
    ['chicken', 'peanut', 'dried-chili', 'sichuan-pepper', 'vinegar', 'sugar', ...CHINESE_BASE],
    ['spicy', 'stir-fry', 'sichuan', 'main'],
    ['宫保', '鸡丁'],
  ),
  recipe(
    '辣子鸡',
    'zh',
    ['chicken', 'dried-chili', 'sichuan-pepper', 'sesame', ...CHINESE_BASE],
    ['spicy', 'deep-fry', 'sichuan', 'main'],
    ['辣子', '鸡'],
  ),
  recipe(
    '口水鸡',
    'zh',
    ['chicken', 'chili-oil', 'sichuan-pepper', 'peanut', 'sesame', 'vinegar', ...CHINESE_BASE],
    ['spicy', 'poach', 'sichuan', 'cold-dish'],
    ['口水', '鸡'],
  ),
  recipe('可乐鸡翅', 'zh', ['chicken', 'cola', 'sugar', ...CHINESE_BASE], ['sweet', 'braise', 'home-style', 'main'], ['可乐', '鸡翅']),
  recipe(
    '黄焖鸡',
    'zh',
    ['chicken', 'shiitake', 'green-pepper', 'potato', 'sugar', ...CHINESE_BASE],
    ['savory', 'braise', 'home-style', 'main'],
    ['黄焖', '鸡'],
  ),
  recipe('白切鸡', 'zh', ['chicken', ...CHINESE_BASE], ['light', 'poach', 'cantonese', 'main'], ['白切', '鸡']),
  recipe(
    '回锅肉',
    'zh',
    ['pork', 'doubanjiang', 'green-pepper', 'leek', 'sugar', ...CHINESE_BASE],
    ['spicy', 'stir-fry', 'sichuan', 'main'],
    ['回锅', '肉'],
  ),
  recipe(
    '鱼香肉丝',
    'zh',
    ['pork', 'doubanjiang', 'wood-ear', 'carrot', 'vinegar', 'sugar', ...CHINESE_BASE],
    ['spicy', 'sweet', 'stir-fry', 'sichuan', 'main'],
    ['鱼香', '肉丝'],
  ),
  recipe('红烧肉', 'zh', ['pork', 'rock-sugar', 'star-anise', ...CHINESE_BASE], ['sweet', 'braise', 'home-style', 'main'], ['红烧', '肉']),
  recipe(
    '糖醋里脊',
    'zh',
    ['pork', 'vinegar', 'sugar', 'ketchup', 'starch', 'egg', ...CHINESE_BASE],
    ['sweet', 'sour', 'deep-fry', 'main'],
    ['糖醋', '里脊'],
  ),
  recipe(
    '青椒肉丝',
    'zh',
    ['pork', 'green-pepper', 'starch', ...CHINESE_BASE],
    ['savory', 'stir-fry', 'home-style', 'main'],
    ['青椒', '肉丝'],
  ),
  recipe(
    '麻婆豆腐',
    'zh',
    ['tofu', 'beef', 'doubanjiang', 'sichuan-pepper', 'chili-powder', 'starch', ...CHINESE_BASE],
    ['spicy', 'numbing', 'braise', 'sichuan', 'main'],
    ['麻婆', '豆腐'],
  ),
  recipe(
    '家常豆腐',
    'zh',
    ['tofu', 'pork', 'green-pepper', 'wood-ear', 'doubanjiang', ...CHINESE_BASE],
    ['savory', 'pan-fry', 'home-style', 'main'],
    ['家常', '豆腐'],
  ),
  recipe(
    '皮蛋豆腐',
    'zh',
    ['tofu', 'century-egg', 'soy-sauce', 'sesame-oil', 'scallion', 'vinegar'],
    ['savory', 'raw', 'cold-dish'],
    ['皮蛋', '豆腐'],
    VEG,
  ),
  recipe(
    '豆腐汤',
    'zh',
    ['tofu', 'seaweed', 'scallion', 'salt', 'sesame-oil'],
    ['light', 'boil', 'soup'],
    ['豆腐', '汤'],
    ['vegetarian', 'vegan'],
  ),
  recipe(
    '番茄炒蛋',
    'zh',
    ['tomato', 'egg', 'sugar', 'scallion', 'salt', 'vegetable-oil'],
    ['sweet', 'sour', 'stir-fry', 'home-style', 'main'],
    ['番茄', '炒蛋'],
    VEG,
  ),
  recipe(
    '清炒西兰花',
    'zh',
    ['broccoli', 'garlic', 'salt', 'vegetable-oil'],
    ['light', 'stir-fry', 'side'],
    ['清炒', '西兰花'],
    ['vegetarian', 'vegan'],
  ),
  recipe(
    '酸辣土豆丝',
    'zh',
    ['potato', 'dried-chili', 'vinegar', 'garlic', 'salt', 'vegetable-oil'],
    ['spicy', 'sour', 'stir-fry', 'side'],
    ['酸辣', '土豆丝'],
    ['vegetarian', 'vegan'],
  ),
  recipe(
    '清蒸鲈鱼',
    'zh',
    ['fish', 'ginger', 'scallion', 'soy-sauce', 'cooking-wine'],
    ['light', 'steam', 'cantonese', 'main'],
    ['清蒸', '鲈鱼'],
  ),
  recipe(
    'Chicken tikka masala',
    'en',
    ['chicken', 'yogurt', 'tomato', 'cream', 'garam-masala', 'ginger', 'garlic', 'onion', 'chili-powder'],
    ['spicy', 'creamy', 'grill', 'indian', 'main'],
    ['tikka', 'masala'],
  ),
  recipe(
    'Butter chicken',
    'en',
    ['chicken', 'butter', 'cream', 'tomato', 'garam-masala', 'ginger', 'garlic', 'onion'],
    ['creamy', 'simmer', 'indian', 'main'],
    ['butter', 'chicken'],
  ),
  recipe(
    'Chicken biryani',
    'en',
    ['chicken', 'rice', 'yogurt', 'onion', 'garam-masala', 'saffron', 'ginger', 'garlic'],
    ['spicy', 'steam', 'indian', 'main'],
    ['biryani'],
  ),
  recipe(
    'Pork vindaloo',
    'en',
    ['pork', 'vinegar', 'chili-powder', 'garlic', 'ginger', 'onion', 'garam-masala'],
    ['spicy', 'sour', 'simmer', 'indian', 'main'],
    ['vindaloo'],
  ),
  recipe(
    'Palak paneer',
    'en',
    ['paneer', 'spinach', 'cream', 'garlic', 'ginger', 'onion', 'garam-masala'],
    ['creamy', 'simmer', 'indian', 'main'],
    ['palak', 'paneer'],
    VEG,
  ),
  recipe(
    'Chana masala',
    'en',
    ['chickpea', 'tomato', 'onion', 'garlic', 'ginger', 'garam-masala', 'chili-powder'],
    ['spicy', 'simmer', 'indian', 'main'],
    ['chana', 'masala'],
    ['vegetarian', 'vegan'],
  ),
  recipe(
    'Gulab jamun',
    'en',
    ['milk-powder', 'flour', 'sugar', 'cardamom', 'ghee', 'rose-water'],
    ['sweet', 'deep-fry', 'indian', 'dessert'],
    ['gulab', 'jamun'],
    VEG,
  ),
  recipe(
    'Tiramisù',
    'it',
    ['mascarpone', 'egg', 'sugar', 'coffee', 'ladyfinger', 'cocoa'],
    ['sweet', 'raw', 'italian', 'dessert'],
    ['tiramisu'],
    VEG,
  ),
  recipe(
    'Torta al cioccolato',
    'it',
    ['chocolate', 'butter', 'sugar', 'egg', 'flour'],
    ['sweet', 'bake', 'italian', 'dessert'],
    ['torta', 'cioccolato'],
    VEG,
  ),
  recipe(
    'Panna cotta',
    'it',
    ['cream', 'sugar', 'gelatin', 'vanilla', 'milk'],
    ['sweet', 'chill', 'italian', 'dessert'],
    ['panna', 'cotta'],
  ),
  recipe(
    'Chocolate chip cookies',
    'en',
    ['flour', 'butter', 'sugar', 'egg', 'chocolate', 'vanilla'],
    ['sweet', 'bake', 'american', 'dessert'],
    ['chocolate', 'chip', 'cookies'],
    VEG,
  ),
  recipe('蛋挞', 'zh', ['egg', 'milk', 'sugar', 'cream', 'flour', 'butter'], ['sweet', 'bake', 'cantonese', 'dessert'], ['蛋挞'], VEG),
  recipe('双皮奶', 'zh', ['milk', 'egg', 'sugar'], ['sweet', 'steam', 'cantonese', 'dessert'], ['双皮奶'], VEG),
  recipe(
    'Pollo alla cacciatora',
    'it',
    ['chicken', 'tomato', 'onion', 'garlic', 'rosemary', 'olive-oil', 'wine'],
    ['savory', 'braise', 'italian', 'main'],
    ['pollo', 'cacciatora'],
  ),
  recipe(
    'Spaghetti alla carbonara',
    'it',
    ['spaghetti', 'egg', 'guanciale', 'pecorino', 'black-pepper'],
    ['savory', 'boil', 'italian', 'main'],
    ['spaghetti', 'carbonara'],
  ),
  recipe(
    'Arista di maiale',
    'it',
    ['pork', 'rosemary', 'garlic', 'olive-oil', 'wine'],
    ['savory', 'roast', 'italian', 'main'],
    ['arista', 'maiale'],
  ),
  recipe(
    'Risotto ai funghi',
    'it',
    ['rice', 'mushroom', 'onion', 'butter', 'parmesan', 'wine'],
    ['savory', 'simmer', 'italian', 'main'],
    ['risotto', 'funghi'],
    VEG,
  ),
];

export function fixture(name: string): FixtureRecipe {
  const found = FIXTURE_CATALOG.find((entry) => entry.name === name);
  if (!found) throw new Error(`No fixture named ${name}`);
  return found;
}

export function parsedQuery(overrides: Partial<ParsedQuery>): ParsedQuery {
  return { ...emptyParsedQuery('', 'en'), ...overrides };
}
