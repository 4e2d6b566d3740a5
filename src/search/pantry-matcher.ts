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
 * lexicon could not resolve is missing unless it is optional, since nothing proves the cook has it.
 */
export class PantryMatcher {
  constructor(private readonly lexicon: FoodLexicon) {}

  match(pantry: readonly string[], ingredients: readonly Ingredient[]): PantryMatch {
    const missing = new Map<string, string[]>();
    const used = new Set<string>();
    const covered: string[] = [];
    for (const line of ingredients) {
      const concept = line.concept;
      const by = concept ? pantry.filter((p) => this.lexicon.isA(p, concept) || this.lexicon.isA(concept, p)) : [];
      if (by.length > 0) {
        by.forEach((p) => used.add(p));
        if (!covered.includes(line.name)) covered.push(line.name);
        continue;
      }
      if (line.optional || (concept && this.lexicon.isStaple(concept))) continue;
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
