import { normalizeIngredientName } from '../embedding/learned-concepts/ingredient-normalizer';
import { isLearnedConcept, learnedConceptId } from '../embedding/learned-concepts/learned-concepts';
import { Ingredient } from '../recipes/recipe.types';
import { FoodLexicon } from '../text/food-lexicon';
import { compareIds } from './search-ranker';

export interface PantryMatch {
  /** Distinct things the cook would still need (staples and optional lines never count). */
  missingCount: number;
  /** The recipe's own names of those ingredients. */
  missingIngredients: string[];
  /** Pantry concepts the recipe uses. */
  used: string[];
  /** The recipe's own names of the lines the pantry covers. */
  coveredIngredients: string[];
}

/**
 * What a recipe needs beyond a pantry. Coverage follows the concept hierarchy both ways: having
 * 鸡腿 (chicken) covers a recipe's 鸡肉, and having "chicken" covers a recipe's 鸡胸肉; a line the
 * lexicon could not resolve is missing unless it is optional or a learned concept in the pantry
 * names it ("learned:hominy" covers "2 cups hominy, drained"), since nothing else proves the cook has it.
 */
export class PantryMatcher {
  /**
   * Per pantry (one request matches one pantry array against thousands of recipes): which
   * pantry items cover each concept met so far, and whether it is a staple. The same few hundred
   * concepts recur across recipes; walking the hierarchy for every line of every candidate was
   * most of a pantry request at 100,000 recipes.
   */
  private readonly memo = new WeakMap<readonly string[], Map<string, { by: readonly string[]; staple: boolean }>>();

  constructor(private readonly lexicon: FoodLexicon) {}

  private conceptFacts(pantry: readonly string[], concept: string): { by: readonly string[]; staple: boolean } {
    let facts = this.memo.get(pantry);
    if (!facts) {
      facts = new Map();
      this.memo.set(pantry, facts);
    }
    let known = facts.get(concept);
    if (!known) {
      known = {
        by: pantry.filter((p) => this.lexicon.isA(p, concept) || this.lexicon.isA(concept, p)),
        staple: this.lexicon.isStaple(concept),
      };
      facts.set(concept, known);
    }
    return known;
  }

  /** The learned pantry item naming an unresolved line, if the pantry has learned items at all. */
  private learnedCovering(pantry: readonly string[], line: Ingredient): string | undefined {
    if (!pantry.some(isLearnedConcept)) return undefined;
    const id = learnedConceptId(normalizeIngredientName(line.name));
    return pantry.includes(id) ? id : undefined;
  }

  match(pantry: readonly string[], ingredients: readonly Ingredient[]): PantryMatch {
    const missing = new Map<string, string[]>();
    const used = new Set<string>();
    const covered: string[] = [];
    for (const line of ingredients) {
      const concept = line.concept;
      const facts = concept ? this.conceptFacts(pantry, concept) : null;
      const learned = concept ? undefined : this.learnedCovering(pantry, line);
      const by = facts?.by ?? (learned ? [learned] : []);
      if (by.length > 0) {
        by.forEach((p) => used.add(p));
        if (!covered.includes(line.name)) covered.push(line.name);
        continue;
      }
      if (line.optional || facts?.staple) continue;
      const key = concept ?? `name:${line.name}`;
      const names = missing.get(key) ?? [];
      if (!names.includes(line.name)) names.push(line.name);
      missing.set(key, names);
    }
    // A concept listed twice (熟花生 and 生花生) is one thing to buy; a line covered elsewhere is not missing.
    return {
      missingCount: missing.size,
      missingIngredients: [...missing.values()].flat().filter((name) => !covered.includes(name)),
      used: [...used],
      coveredIngredients: covered,
    };
  }
}

export interface PantryCandidate {
  id: string;
  match: PantryMatch;
  /** Similarity of the recipe to a dish made of the pantry; only needed to break ties. */
  similarity?: number;
}

/** Fewest missing first, then most pantry items used, then similarity, then id. */
export function comparePantryCandidates(a: PantryCandidate, b: PantryCandidate): number {
  return (
    a.match.missingCount - b.match.missingCount ||
    b.match.used.length - a.match.used.length ||
    (b.similarity ?? 0) - (a.similarity ?? 0) ||
    compareIds(a.id, b.id)
  );
}

/** Same order without similarity: groups of candidates that only similarity can tell apart. */
export function samePantryRank(a: PantryCandidate, b: PantryCandidate): boolean {
  return a.match.missingCount === b.match.missingCount && a.match.used.length === b.match.used.length;
}

/**
 * Puts the candidates that can reach the first `end` places (with every candidate tied with the
 * last of them) first, in full order; the rest follow in no particular order. `total` needs every
 * candidate matched, but only the head needs sorting: a pantry of common ingredients has tens of
 * thousands of candidates at 100,000 recipes, and sorting them all took ~75 ms.
 */
export function sortHead(candidates: PantryCandidate[], end: number): void {
  if (candidates.length <= end) {
    candidates.sort(comparePantryCandidates);
    return;
  }
  // Rank groups by (fewest missing, most used): count the groups, find the one holding place
  // `end`, and keep every candidate up to and including that group.
  const groupOf = (c: PantryCandidate) => c.match.missingCount * 1024 - Math.min(1023, c.match.used.length);
  const sizes = new Map<number, number>();
  for (const c of candidates) sizes.set(groupOf(c), (sizes.get(groupOf(c)) ?? 0) + 1);
  let last = -Infinity;
  let reached = 0;
  for (const group of [...sizes.keys()].sort((a, b) => a - b)) {
    last = group;
    reached += sizes.get(group)!;
    if (reached >= end) break;
  }
  const head: PantryCandidate[] = [];
  const tail: PantryCandidate[] = [];
  for (const c of candidates) (groupOf(c) <= last ? head : tail).push(c);
  head.sort(comparePantryCandidates);
  let at = 0;
  for (const c of head) candidates[at++] = c;
  for (const c of tail) candidates[at++] = c;
}
