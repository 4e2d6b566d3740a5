/** Shared shapes of the food-understanding layer (lexicon, analyzer, query parser). */

export type ConceptKind = 'ingredient' | 'flavor' | 'method' | 'course' | 'cuisine' | 'diet' | 'allergen' | 'tool';

export interface Concept {
  /** Stable lowercase English slug: "chicken", "soy-sauce", "stir-fry", "sichuan". */
  id: string;
  kind: ConceptKind;
  /** Display names; the first of each is the preferred one. */
  zh: string[];
  en: string[];
  /**
   * Broader concepts ("chicken" → "poultry" → "meat"); used for diets, exclusions and matching.
   * A word with two everyday senses lists both, so every diet, allergy and exclusion sees the one
   * that concerns it: 牛油 is beef tallow in a hotpot base and butter in Hong Kong baking.
   */
  parents?: string[];
  /** Allergen groups this ingredient belongs to: peanut, tree-nut, dairy, egg, gluten, shellfish, fish, soy, sesame. */
  allergens?: string[];
  /**
   * Allergen groups an allergy to this word rules out beyond its own: everyday speech counts
   * peanuts among nuts (坚果过敏, "nut allergy") though they are legumes, and a list that let
   * them through would be the one that harms.
   */
  allergyAlso?: string[];
  /**
   * Allergen groups an exclusion of this word rules out though the word is not called after them
   * (坚果 / "nuts" → tree-nut and peanut): "no nuts" must keep out what "nut-free" does. See
   * FoodLexicon.allergenGroupsNamedBy.
   */
  namesAllergens?: string[];
  /**
   * A word that holds a food's name but says nothing of that food: 鱼香 (fish-fragrant, no
   * fish), 电饭煲 (a rice cooker), 下饭 (goes with rice). A dish name using it names no such food
   * (see FoodLexicon.foodsNamedIn); other words name the foods they hold (蒜香 garlic, 炒饭 rice).
   * Tools never name a food. Marked only where nothing a diet, allergy or exclusion reads is
   * hidden: 咸蛋糕 (a savoury cake) names 咸蛋 for the egg a quiche has, and 鸡尾酒 (a cocktail)
   * names its chicken with its alcohol, as an alcohol exclusion must see the one.
   */
  namesNoFood?: boolean;
  /** Salt, oil, water…: never counted as missing in pantry mode. Inherited; `false` stops it (honey under sugar). */
  staple?: boolean;
  /** Diets this food rules out, inherited by narrower concepts (meat → vegetarian, vegan, pescatarian). */
  breaksDiets?: string[];
  /** Course concepts only: the recipe category slug importers emit when it differs from the id. */
  category?: string;
}

/** A well-known dish whose name implies ingredients the name itself does not spell out (宫保鸡丁 → peanut). */
export interface DishConcept {
  id: string;
  zh: string[];
  en: string[];
  ingredients: string[];
  properties: string[];
  cuisines: string[];
  categories?: string[];
}

/** Concept tags of one recipe, derived from its fields by the analyzer. */
export interface RecipeAnalysis {
  language: string;
  /** Ingredient concept ids, one per resolved ingredient (duplicates removed). */
  ingredientConcepts: string[];
  /** Ingredient names the lexicon did not resolve, normalised. */
  unresolvedIngredients: string[];
  /** Flavor, method, course, cuisine and diet concept ids. */
  propertyConcepts: string[];
  allergens: string[];
  /** Diets the ingredients allow: vegetarian, vegan, pescatarian… */
  diets: string[];
  /** Tokens for the sparse term vector: concept ids plus normalised words/segments of the name. */
  terms: string[];
  /**
   * Concepts the name says the dish is without (三杯鸡（无九层塔版） → basil, 无米炒饭 → rice; see
   * FoodLexicon.refusedIn): nothing the name names or implies counts as them. Absent when the
   * name refuses nothing.
   */
  nameRefuses?: string[];
}

/** What the query parser makes of free text in either language. */
export interface ParsedQuery {
  text: string;
  language: string;
  /** Wanted ingredient concepts. */
  ingredients: string[];
  /** Wanted flavor / method concepts. */
  properties: string[];
  cuisines: string[];
  categories: string[];
  /** Ingredient concepts the user does not want ("不要香菜", "without coconut"). */
  excludedIngredients: string[];
  excludedAllergens: string[];
  diets: string[];
  maxMinutes?: number;
  /** Flavor / method concepts the user does not want ("不辣", "not spicy"). */
  excludedProperties?: string[];
  /** Well-known dish ids recognised in the text; their names also stay in freeText for name matching. */
  dishes?: string[];
  /** Words the parser did not recognise, kept for lexical matching. */
  freeText: string[];
}
