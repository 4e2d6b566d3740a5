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
  const groups = new Map<string, FoldedCandidate<T>>();
  for (const candidate of ranked) {
    const key = candidate.nameKey.length > 0 ? candidate.nameKey : `id:${candidate.id}`;
    const group = groups.get(key);
    if (group) group.others.push(candidate);
    else groups.set(key, { lead: candidate, others: [] });
  }
  return [...groups.values()];
}
