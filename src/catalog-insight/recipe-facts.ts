import { CatalogRecipe } from '../search/catalog-recipe';
import { FoodLexicon } from '../text/food-lexicon';
import { RecipeFacts } from './catalog-insight';
import { ConceptSpace, dishVector } from './dish-vectors';

/** The stored fields the catalog view does not hold, read for the checks and merge advice. */
export interface RecipeText {
  tags: readonly string[];
  steps: number;
  hasDescription: boolean;
}

/** One recipe's facts from its catalog-view entry, its text fields, the model and the lexicon. */
export function recipeFacts(recipe: CatalogRecipe, text: RecipeText, space: ConceptSpace, lexicon: FoodLexicon): RecipeFacts {
  const ingredients = [...recipe.ingredientConcepts, ...recipe.impliedIngredients.map((i) => i.concept)];
  const main = [...new Set(ingredients)].filter((c) => !lexicon.isStaple(c));
  const lines = recipe.ingredients.length;
  const resolved = recipe.ingredients.filter((line) => line.concept !== undefined && line.concept !== null).length;
  return {
    id: recipe.summary.id,
    name: recipe.summary.name,
    source: recipe.summary.source,
    language: recipe.summary.language,
    vector: dishVector(space, ingredients, recipe.propertyConcepts),
    // A diet property says what a dish lacks (dairy-free, gluten-free), so it names no family.
    concepts: [...main, ...recipe.propertyConcepts.filter((c) => lexicon.get(c)?.kind !== 'diet')],
    duplicate: {
      nameKey: recipe.nameKey,
      nameConcepts: recipe.nameIngredients,
      ingredients: recipe.ingredientConcepts.filter((c) => !lexicon.isStaple(c)),
      completeness: {
        ingredientLines: lines,
        resolvedShare: lines === 0 ? 0 : resolved / lines,
        steps: text.steps,
        hasTime: recipe.summary.totalMinutes !== null,
        hasDescription: text.hasDescription,
      },
    },
    anomaly: {
      name: recipe.summary.name,
      language: recipe.summary.language,
      category: recipe.summary.category,
      tags: text.tags,
      ingredientNames: recipe.ingredients.map((line) => line.name),
      resolvedLines: resolved,
      ingredientConcepts: recipe.ingredientConcepts,
      totalMinutes: recipe.summary.totalMinutes,
    },
  };
}

/** Chinese and English display names of a concept (its id when the lexicon has none). */
export function conceptNames(lexicon: FoodLexicon, id: string): { zh: string; en: string } {
  const concept = lexicon.get(id);
  return { zh: (concept && chineseHead(concept.zh)) ?? concept?.en[0] ?? id, en: concept?.en[0] ?? id };
}

/**
 * The Chinese word that names a concept as a whole. The lexicon lists surface forms for
 * matching, not display, and its first is sometimes a narrow one (chicken: 鸽子, pork: 梅头肉):
 * the form most others contain names the group (香肠 in 广式香肠…), and a one-character head
 * (鸡, 猪) reads better as its first two-character form (鸡肉, 猪肉). A one-character head can
 * name only a sub-group, though: 饼 is in fifteen of bread's forms and would read 烧饼, while
 * 面包 heads six others; a word the head is not part of that heads at least a third as many
 * (and a few) names the concept instead.
 */
export function chineseHead(surfaces: readonly string[]): string | undefined {
  const contains = (s: string) => surfaces.filter((o) => o !== s && o.includes(s)).length;
  const head = widest(surfaces, contains);
  if (head === undefined || [...head.form].length > 1) return head?.form;
  const rival = widest(
    surfaces.filter((s) => [...s].length > 1 && !s.includes(head.form)),
    contains,
  );
  if (rival && rival.score >= MIN_RIVAL_SCORE && 3 * rival.score >= head.score) return rival.form;
  return surfaces.find((s) => [...s].length === 2 && s.includes(head.form)) ?? head.form;
}

/** Forms a word without the one-character head must head to name the concept instead of it. */
const MIN_RIVAL_SCORE = 3;

/** The form with the best score, the shorter (then the earlier) on a tie. */
function widest(surfaces: readonly string[], score: (s: string) => number): { form: string; score: number } | undefined {
  let best: { form: string; score: number } | undefined;
  for (const form of surfaces) {
    const value = score(form);
    if (!best || value > best.score || (value === best.score && [...form].length < [...best.form].length)) best = { form, score: value };
  }
  return best;
}
