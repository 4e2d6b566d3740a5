import { RecipeInput } from '../recipes/recipe.types';
import { FoodLexicon } from './food-lexicon';
import { isStopWord, TextAnalyzer } from './text-analyzer';
import { Concept, ConceptKind, RecipeAnalysis } from './text.types';
import { cleanIngredientName, hasCjk } from './text-normalizer';

/** Diets the analyzer can derive from ingredients. */
export const DERIVED_DIETS = ['vegetarian', 'vegan', 'pescatarian', 'gluten-free', 'dairy-free', 'nut-free'] as const;

/** Diets that are only claimed when every ingredient resolved: an unknown name could hide the allergen. */
const DIETS_NEEDING_FULL_RESOLUTION = new Set(['vegan', 'gluten-free', 'dairy-free', 'nut-free']);
/**
 * Diets that also need at least two main (non-staple) ingredients: a list of one (煎蛋方便面:
 * 方便面; most YunYouJun dishes name only their main ingredient) says too little to promise that no
 * egg, milk or meat goes in.
 */
const DIETS_NEEDING_A_FULL_LIST = new Set(['vegan', 'dairy-free']);
const MIN_MAIN_INGREDIENTS = 2;

/** Allergen groups that rule a diet out, beside each concept's own `breaksDiets`. */
const DIET_BREAKING_ALLERGENS: Record<string, string[]> = {
  gluten: ['gluten-free'],
  dairy: ['dairy-free', 'vegan'],
  egg: ['vegan'],
  'tree-nut': ['nut-free'],
  peanut: ['nut-free'],
};

/** Source diet words that deny a meat-free diet ("non vegetarian" in Indian Food 101). */
const DENYING_DIET_WORDS = /^(non[\s-]?veg(etarian)?|荤|荤菜|meat)$/i;
const VEGETARIAN_DIET_WORDS = /^(veg|vegetarian|素|素食)$/i;

const PROPERTY_KINDS: ReadonlySet<ConceptKind> = new Set<ConceptKind>(['flavor', 'method', 'course', 'cuisine', 'diet']);
const NAME_KINDS: ReadonlySet<ConceptKind> = new Set<ConceptKind>(['flavor', 'method', 'cuisine', 'ingredient']);

export interface RecipeAnalyzerOptions {
  /**
   * Sources whose data has a diet column: there a missing "vegetarian" is a denial, so the recipe
   * is not vegetarian whatever its resolved ingredients say.
   */
  dietDeclaringSources?: string[];
}

/**
 * Turns a recipe into concept tags: ingredient concepts (also written to each ingredient's
 * `concept`), properties from its fields and name, allergens, the diets its ingredients allow, and
 * the terms of its sparse vector.
 *
 * Diet rule: a diet is derived when no resolved ingredient breaks it (directly or through a broader
 * concept: chicken → meat breaks vegetarian, vegan, pescatarian; egg and dairy break vegan; an
 * allergen group breaks its "-free" diet). Vegan and the "-free" diets also need every ingredient
 * resolved. The result is then intersected with what the source allows: a source diet saying
 * "non vegetarian", or a diet-declaring source that does not say vegetarian, removes vegetarian and
 * vegan. A source claiming a diet never overrides an ingredient that breaks it. Foods the dish
 * name itself names count like ingredients (煎蛋方便面 names egg, 奶汤 milk, even when the list
 * forgot them), and vegan and dairy-free also need at least two main (non-staple) ingredients.
 */
/** Ingredient groups that give a dish its flavour whatever the source says: [ingredient root, flavor]. */
const FLAVOURS_FROM_INGREDIENTS: ReadonlyArray<readonly [string, string]> = [
  ['chili-pepper', 'spicy'],
  ['sichuan-pepper', 'numbing'],
];

export class RecipeAnalyzer {
  private readonly dietDeclaringSources: ReadonlySet<string>;

  constructor(
    private readonly lexicon: FoodLexicon,
    private readonly text: TextAnalyzer,
    options: RecipeAnalyzerOptions = {},
  ) {
    this.dietDeclaringSources = new Set(options.dietDeclaringSources ?? ['indian-food-101']);
  }

  /** The language a recipe that names none is given: read from its name, zh or else en. */
  detectLanguage(name: string): string {
    return this.text.detectLanguage(name) === 'zh' ? 'zh' : 'en';
  }

  analyze(recipe: RecipeInput): RecipeAnalysis {
    const ingredientConcepts = new Set<string>();
    const requiredConcepts = new Set<string>();
    const unresolved = new Set<string>();
    for (const ingredient of recipe.ingredients) {
      const concepts = this.lexicon.resolveIngredients(ingredient.name).filter((c) => c.kind !== 'tool');
      const toolOnly = concepts.length === 0 && this.lexicon.resolveIngredient(ingredient.name)?.kind === 'tool';
      if (concepts.length === 0) {
        if (!toolOnly) {
          const cleaned = cleanIngredientName(ingredient.name);
          if (cleaned) unresolved.add(cleaned);
        }
        continue;
      }
      const primary = this.lexicon.resolveIngredient(ingredient.name);
      ingredient.concept = primary && primary.kind !== 'tool' ? primary.id : concepts[0].id;
      concepts.forEach((c) => ingredientConcepts.add(c.id));
      if (!ingredient.optional) concepts.forEach((c) => requiredConcepts.add(c.id));
    }

    const properties = this.properties(recipe);
    // Sources rarely label heat; a dish that needs chili is spicy, one that needs Sichuan pepper numbing.
    for (const [root, flavor] of FLAVOURS_FROM_INGREDIENTS) {
      if ([...requiredConcepts].some((id) => this.lexicon.isA(id, root)) && this.lexicon.has(flavor)) properties.add(flavor);
    }
    const nameWords = this.text.contentWords(recipe.name);
    const nameRefuses = this.lexicon.refusedIn(recipe.name);
    const unnamed = (id: string) => this.lexicon.isAnyOf(id, nameRefuses);
    // Each word of the name read once, for the properties here and the terms below.
    const nameConcepts = nameWords.map((word) => {
      const concepts = this.conceptsInWord(word);
      return { word, concepts, named: concepts.filter((c) => !unnamed(c.id)) };
    });
    for (const { named } of nameConcepts) {
      for (const concept of named) {
        if (concept.kind !== 'ingredient') properties.add(concept.id);
      }
    }
    // Foods the name names, and those a known dish is made with (麻婆豆腐 → beef, 宫保鸡丁 →
    // peanut), break diets and carry their allergens; they are not added to the ingredients,
    // which list what the source wrote. A source listing only 豆腐 for 麻婆豆腐 had it answer a
    // vegetarian search, and 宫保鸡丁 without its peanuts listed showed a client no allergen.
    const namedFoods = [
      ...this.lexicon.foodsNamedIn(recipe.name, nameRefuses).map((food) => food.concept),
      ...(this.lexicon.lookupDish(recipe.name)?.ingredients ?? []).filter((id) => !unnamed(id)),
    ];
    const allergens = new Set<string>();
    for (const id of [...ingredientConcepts, ...namedFoods]) this.lexicon.allergensOf(id).forEach((a) => allergens.add(a));
    const mainIngredients = [...requiredConcepts].filter((id) => !this.lexicon.isStaple(id)).length;
    const diets = this.diets(recipe, [...ingredientConcepts, ...namedFoods], {
      allResolved: unresolved.size === 0,
      fullList: mainIngredients >= MIN_MAIN_INGREDIENTS,
    });
    diets.forEach((d) => properties.add(d));

    const terms = new Set<string>([...ingredientConcepts, ...properties]);
    for (const { word, concepts, named } of nameConcepts) {
      // 无鸡蛋: neither the food nor its word is something the name offers.
      if (concepts.length === 0 || named.length > 0) terms.add(word);
      for (const concept of named) terms.add(concept.id);
    }
    return {
      language: recipe.language ?? this.detectLanguage(recipe.name),
      ingredientConcepts: [...ingredientConcepts],
      unresolvedIngredients: [...unresolved],
      propertyConcepts: [...properties],
      allergens: [...allergens].sort(),
      diets,
      terms: [...terms],
      ...(nameRefuses.length > 0 ? { nameRefuses } : {}),
    };
  }

  /** Diets the resolved ingredients allow, intersected with what the source allows (see the class comment). */
  diets(recipe: RecipeInput, foodConcepts: string[], list: { allResolved: boolean; fullList: boolean }): string[] {
    const broken = new Set<string>();
    for (const id of foodConcepts) {
      this.lexicon.breaksDiets(id).forEach((d) => broken.add(d));
      for (const allergen of this.lexicon.allergensOf(id)) (DIET_BREAKING_ALLERGENS[allergen] ?? []).forEach((d) => broken.add(d));
    }
    if (broken.has('vegetarian')) broken.add('vegan');

    const sourceDiets = (recipe.diets ?? []).map((d) => d.trim().toLowerCase());
    const denied =
      sourceDiets.some((d) => DENYING_DIET_WORDS.test(d)) ||
      (this.dietDeclaringSources.has(recipe.source) && !sourceDiets.some((d) => VEGETARIAN_DIET_WORDS.test(d) || d === 'vegan'));
    if (denied) {
      broken.add('vegetarian');
      broken.add('vegan');
    }
    return DERIVED_DIETS.filter(
      (diet) =>
        !broken.has(diet) &&
        (list.allResolved || !DIETS_NEEDING_FULL_RESOLUTION.has(diet)) &&
        (list.fullList || !DIETS_NEEDING_A_FULL_LIST.has(diet)),
    );
  }

  private properties(recipe: RecipeInput): Set<string> {
    const out = new Set<string>();
    if (recipe.category) {
      const course = this.lexicon.courseForCategory(recipe.category);
      if (course) out.add(course.id);
    }
    const fields = [recipe.cuisine, recipe.region && recipe.cuisine ? `${recipe.region} ${recipe.cuisine}` : undefined];
    // An appliance in the tool list says how the dish is cooked (电饭煲 → rice-cooker, 空气炸锅 → air-fry).
    for (const value of [
      ...fields,
      ...(recipe.flavors ?? []),
      ...(recipe.methods ?? []),
      ...(recipe.tags ?? []),
      ...(recipe.tools ?? []),
    ]) {
      if (!value) continue;
      const concept = this.lexicon.lookup(value, PROPERTY_KINDS);
      if (concept) out.add(concept.id);
      else
        for (const part of value.split(/[/、,，]/)) {
          const found = this.lexicon.lookup(part, PROPERTY_KINDS);
          if (found) out.add(found.id);
        }
    }
    // Source diets are claims, not facts: they only enter through the diet rule.
    return out;
  }

  /** Concepts named by one segmented word of a dish name ("红烧" → red-braise, "鸡丁" → chicken, "牛肉汤" → beef). */
  private conceptsInWord(word: string): Concept[] {
    const exact = this.lexicon.lookup(word, NAME_KINDS);
    if (exact) return [exact];
    if (!hasCjk(word) || isStopWord(word)) return [];
    return this.lexicon
      .segmentChinese(word, NAME_KINDS)
      .filter((part) => part.concept)
      .map((part) => part.concept as Concept);
  }
}
