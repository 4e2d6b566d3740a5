import { toSimplified, withoutNameNotes } from '../text/text-normalizer';

function compactKey(text: string): string {
  return text.replace(/[\s\p{P}\p{S}]+/gu, '');
}

/**
 * The one rule for "the same dish": two recipes are one dish when their names agree once case,
 * full/half width, spaces, punctuation and bracketed notes are ignored. Search folds, similar
 * dishes, recommendations and the catalog's name index all key names with it. A name that is
 * nothing but a note ("（简易版）") keeps the note's words rather than becoming no dish at all.
 */
export function dishKey(name: string): string {
  return compactKey(withoutNameNotes(name)) || compactKey(toSimplified(name.normalize('NFKC').toLowerCase()));
}

/** A ranked candidate with the name key it is folded by. */
export interface FoldableCandidate {
  id: string;
  source: string;
  nameKey: string;
}

export interface FoldedCandidate<T extends FoldableCandidate> {
  /** The best-ranked recipe of its name. */
  lead: T;
  /** The same dish from other sources (or repeated in one), in rank order. */
  others: T[];
}

/**
 * Folds recipes with the same normalised name into one entry, keeping the first (best-ranked)
 * as the lead: two sources' 番茄炒蛋 are one dish to a reader, and a list showing both wastes a
 * slot. Order of leads follows the input order.
 */
export function foldSameDishes<T extends FoldableCandidate>(ranked: readonly T[]): Array<FoldedCandidate<T>> {
  const folder = new DishFolder<T>();
  for (const candidate of ranked) folder.add(candidate);
  return folder.folded();
}

/** {@link foldSameDishes} one candidate at a time, for a long list folded between pauses. */
export class DishFolder<T extends FoldableCandidate> {
  private readonly groups = new Map<string, FoldedCandidate<T>>();

  add(candidate: T): void {
    const key = foldKey(candidate);
    const group = this.groups.get(key);
    if (group) group.others.push(candidate);
    else this.groups.set(key, { lead: candidate, others: [] });
  }

  /** Dishes so far. */
  get size(): number {
    return this.groups.size;
  }

  folded(): Array<FoldedCandidate<T>> {
    return [...this.groups.values()];
  }
}

/**
 * Most other copies of a dish a folded hit names in `why.alsoIn`. A popular dish has thousands
 * of copies in a large catalog (红烧肉 had 921 in the 1,000,000-recipe synthetic one, a 79 KB
 * answer); a reader needs to know that there are others and to reach a few. Lists that gather
 * copies by name (search's name matches, similar dishes' twins) take at most one more per dish
 * than this, so how many there are costs nothing.
 */
export const ALSO_IN_LISTED = 8;

/** The copies a folded hit names in `why.alsoIn`: the best-ranked {@link ALSO_IN_LISTED}. */
export function alsoInOf(others: ReadonlyArray<{ id: string; source: string }>): Array<{ id: string; source: string }> {
  return others.slice(0, ALSO_IN_LISTED).map((o) => ({ id: o.id, source: o.source }));
}

/** What {@link foldSameDishes} folds a candidate by: its name key, or its id when the name keys to nothing. */
export function foldKey(candidate: { id: string; nameKey: string }): string {
  return candidate.nameKey.length > 0 ? candidate.nameKey : `id:${candidate.id}`;
}
