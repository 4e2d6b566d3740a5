/** Why a recipe looks wrong; each finding carries one. */
export type AnomalyCode =
  | 'DIET_CONTRADICTION'
  | 'ALLERGEN_CONTRADICTION'
  | 'IMPLAUSIBLE_TIME'
  | 'IMPLAUSIBLE_INGREDIENT_COUNT'
  | 'FAR_FROM_FAMILIES'
  | 'UNRESOLVED_INGREDIENTS'
  | 'LANGUAGE_MISMATCH'
  | 'DUPLICATE';

export const ANOMALY_CODES: readonly AnomalyCode[] = [
  'DIET_CONTRADICTION',
  'ALLERGEN_CONTRADICTION',
  'IMPLAUSIBLE_TIME',
  'IMPLAUSIBLE_INGREDIENT_COUNT',
  'FAR_FROM_FAMILIES',
  'UNRESOLVED_INGREDIENTS',
  'LANGUAGE_MISMATCH',
  'DUPLICATE',
];

export interface Anomaly {
  code: AnomalyCode;
  /** 0–1: how sure or how extreme; findings are listed by it. */
  score: number;
  message: string;
}

/** One recipe as the checks read it: its own words, what its ingredients resolved to, where it sits. */
export interface AnomalyInput {
  name: string;
  language: string;
  category: string | null;
  tags: readonly string[];
  /** Ingredient lines as the source wrote them. */
  ingredientNames: readonly string[];
  /** Lines the lexicon resolved to a concept. */
  resolvedLines: number;
  /** Listed ingredient concepts (not those the name implies: 素鸡 is tofu). */
  ingredientConcepts: readonly string[];
  totalMinutes: number | null;
  /** Similarity to the nearest family centroid; null when the dish has no vector. */
  familySimilarity: number | null;
  /** The best duplicate pair it is in, if any. */
  duplicate?: { of: string; score: number };
}

/** What the checks ask of the lexicon. */
export interface DietFacts {
  breaksDiets(concept: string): readonly string[];
  allergensOf(concept: string): readonly string[];
  nameOf(concept: string): string;
}

export interface AnomalyThresholds {
  /** A dish less similar than this to every family centroid is an outlier (see outlierThreshold). */
  farFromFamilies: number;
}

/**
 * Beyond these a time is not a recipe's: a source's 0 or a slip of units. Two days still allows
 * the bundled catalog's longest real ones (overnight soaking, pickles of 1–2 days).
 */
export const MAX_PLAUSIBLE_MINUTES = 2 * 24 * 60;
export const MIN_PLAUSIBLE_MINUTES = 1;
/**
 * Above this many lines a list is a paste of several recipes; the bundled maximum is far lower.
 * One line is no anomaly: YunYouJun lists only a dish's main ingredient (红烧肉: 猪肉).
 */
export const MAX_PLAUSIBLE_LINES = 40;
/** Unresolved share from which the lexicon clearly missed the dish (and with it diets and allergens). */
export const UNRESOLVED_SHARE = 0.6;

const VEGAN_WORDS = /\bvegan\b|纯素|全素/i;
// 素菜 is HowToCook's "vegetable dish" category tag (手撕包菜 with pork belly), not a diet claim;
// a name starting with 素 (素炒豆角) is one.
const VEGETARIAN_WORDS = /(?<!non[\s-]?)\b(vegetarian|veggie|meatless|meat[\s-]free)\b|素食|斋菜|斋饭/i;
const VEGETARIAN_NAME = /^素(?!菜$)/;
const FREE_FROM: ReadonlyArray<readonly [RegExp, readonly string[], string]> = [
  [/\bgluten[\s-]free\b|无麸质|无筋/i, ['gluten'], 'gluten-free'],
  [/\b(dairy|lactose|milk)[\s-]free\b|无乳|无奶/i, ['dairy'], 'dairy-free'],
  [/\begg[\s-]free\b|无蛋/i, ['egg'], 'egg-free'],
  [/\bnut[\s-]free\b|无坚果/i, ['peanut', 'tree-nut'], 'nut-free'],
];

/** Every finding for one recipe, most serious first. Pure: the same input gives the same findings. */
export function detectAnomalies(input: AnomalyInput, facts: DietFacts, thresholds: AnomalyThresholds): Anomaly[] {
  const out: Anomaly[] = [];
  const claimText = [input.name, input.category ?? '', ...input.tags].join(' \n ');
  const claimed: string[] = [];
  if (VEGAN_WORDS.test(claimText)) claimed.push('vegan');
  else if (VEGETARIAN_WORDS.test(claimText) || VEGETARIAN_NAME.test(input.name.trim())) claimed.push('vegetarian');
  for (const diet of claimed) {
    const breaking = input.ingredientConcepts.filter((c) => facts.breaksDiets(c).includes(diet));
    if (breaking.length > 0) {
      out.push({
        code: 'DIET_CONTRADICTION',
        score: Math.min(1, 0.8 + 0.1 * breaking.length),
        message: `Says ${diet} but lists ${breaking.map(facts.nameOf).join(', ')}`,
      });
    }
  }
  for (const [pattern, groups, label] of FREE_FROM) {
    if (!pattern.test(claimText)) continue;
    const breaking = input.ingredientConcepts.filter((c) => facts.allergensOf(c).some((a) => groups.includes(a)));
    if (breaking.length > 0) {
      out.push({
        code: 'ALLERGEN_CONTRADICTION',
        score: Math.min(1, 0.8 + 0.1 * breaking.length),
        message: `Says ${label} but lists ${breaking.map(facts.nameOf).join(', ')}`,
      });
    }
  }
  const minutes = input.totalMinutes;
  if (minutes !== null && (minutes < MIN_PLAUSIBLE_MINUTES || minutes > MAX_PLAUSIBLE_MINUTES)) {
    out.push({
      code: 'IMPLAUSIBLE_TIME',
      score: minutes < MIN_PLAUSIBLE_MINUTES ? 1 : Math.min(1, 0.6 + 0.4 * Math.log10(minutes / MAX_PLAUSIBLE_MINUTES)),
      message: `Total time of ${minutes} minutes`,
    });
  }
  const lines = input.ingredientNames.length;
  if (lines === 0 || lines > MAX_PLAUSIBLE_LINES) {
    out.push({
      code: 'IMPLAUSIBLE_INGREDIENT_COUNT',
      score: lines === 0 ? 1 : Math.min(1, 0.6 + lines / (10 * MAX_PLAUSIBLE_LINES)),
      message: `${lines} ingredient line${lines === 1 ? '' : 's'}`,
    });
  }
  if (lines >= 3) {
    const share = 1 - input.resolvedLines / lines;
    if (share >= UNRESOLVED_SHARE) {
      out.push({
        code: 'UNRESOLVED_INGREDIENTS',
        score: share,
        message: `${lines - input.resolvedLines} of ${lines} ingredients not understood`,
      });
    }
  }
  if (input.familySimilarity !== null && input.familySimilarity < thresholds.farFromFamilies) {
    out.push({
      code: 'FAR_FROM_FAMILIES',
      score: Math.min(1, Math.max(0, 1 - input.familySimilarity)),
      message: `Similarity ${input.familySimilarity.toFixed(2)} to the nearest family (outliers: below ${thresholds.farFromFamilies.toFixed(2)})`,
    });
  }
  const mismatch = languageMismatch(input);
  if (mismatch) out.push(mismatch);
  if (input.duplicate) {
    out.push({ code: 'DUPLICATE', score: input.duplicate.score, message: `Probably the same dish as ${input.duplicate.of}` });
  }
  return out.sort((a, b) => b.score - a.score);
}

/**
 * Chinese recipes are written in Han characters, English ones in Latin letters: a recipe whose
 * name and ingredients are mostly in the other script is mislabelled (or not the text it says).
 * Mixed lines (“3 个 egg”) are common, so only the share of letters in the other script counts.
 */
function languageMismatch(input: AnomalyInput): Anomaly | null {
  if (input.language !== 'zh' && input.language !== 'en') return null;
  const text = [input.name, ...input.ingredientNames].join(' ');
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  // A Chinese character carries about a word; weigh Latin letters as words too.
  const latin = (text.match(/[A-Za-z]+/g) ?? []).length;
  const total = han + latin;
  if (total < 3) return null;
  const other = input.language === 'zh' ? latin / total : han / total;
  if (other < 0.7) return null;
  return {
    code: 'LANGUAGE_MISMATCH',
    score: other,
    message: `Labelled ${input.language} but ${Math.round(other * 100)}% of its name and ingredients are in ${input.language === 'zh' ? 'Latin letters' : 'Chinese characters'}`,
  };
}

/**
 * The outlier cut from the catalog's own similarities to their family centroids: the lower
 * fence (first quartile − 1.5 × the inter-quartile range), so a catalog of tight families
 * flags less far dishes than a loose one.
 */
export function outlierThreshold(similarities: readonly number[]): number {
  if (similarities.length < 4) return Number.NEGATIVE_INFINITY;
  const sorted = [...similarities].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1)))];
  const q1 = at(0.25);
  const q3 = at(0.75);
  return q1 - 1.5 * (q3 - q1);
}
