import { InteractionSignal } from '../../users/user-interaction.types';
import { byUser } from './preference-signals';

/**
 * Item–item co-interaction: dishes people tend to have an opinion on together (whatever the
 * opinion). It says which dishes belong to the same world — a menu, a cuisine, the set a survey
 * or an app screen showed together — not whether they are good, so it decides *what* is
 * considered for a user, while taste decides the order (see user-ranking's `domain`).
 * Cosine of binary columns: c(i, j) / √(n(i) · n(j)).
 */

/** Each user's most recent dishes counted at most: a heavy user adds n² pairs. */
export const MAX_ITEMS_PER_USER = 100;

export type CoInteractions = ReadonlyMap<string, ReadonlyMap<string, number>>;

export function coInteractions(interactions: readonly InteractionSignal[]): Map<string, Map<string, number>> {
  const counts = new Map<string, number>();
  const pairs = new Map<string, Map<string, number>>();
  for (const signals of byUser(interactions).values()) {
    const items = [...new Set(signals.map((s) => s.recipeId))].slice(0, MAX_ITEMS_PER_USER);
    for (const a of items) {
      counts.set(a, (counts.get(a) ?? 0) + 1);
      const row = pairs.get(a) ?? new Map<string, number>();
      for (const b of items) if (a !== b) row.set(b, (row.get(b) ?? 0) + 1);
      pairs.set(a, row);
    }
  }
  for (const [a, row] of pairs) {
    for (const [b, c] of row) row.set(b, c / Math.sqrt(counts.get(a)! * counts.get(b)!));
    if (row.size > MAX_PARTNERS_PER_ITEM) pairs.set(a, strongest(row, MAX_PARTNERS_PER_ITEM));
  }
  return pairs;
}

/**
 * Each dish keeps its strongest partners only, as item-kNN keeps its k nearest items. A user's
 * scores add up the rows of every dish they have met, and a popular dish's row held thousands of
 * dishes: with 10,000 users on the 100,000-recipe bench catalog, adding them up was the largest
 * single cost of a user list (7% of its CPU). The survey evaluation's rows have at most 62.
 */
export const MAX_PARTNERS_PER_ITEM = 100;

function strongest(row: ReadonlyMap<string, number>, keep: number): Map<string, number> {
  const best = [...row].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).slice(0, keep);
  return new Map(best);
}

/** Mean co-interaction of each dish with the user's dishes, scaled so the best candidate has 1. */
export function coInteractionScores(userItems: readonly string[], table: CoInteractions): Map<string, number> {
  const sums = new Map<string, number>();
  for (const item of userItems) {
    for (const [other, value] of table.get(item) ?? []) sums.set(other, (sums.get(other) ?? 0) + value);
  }
  for (const item of userItems) sums.delete(item);
  let peak = 0;
  for (const value of sums.values()) if (value > peak) peak = value;
  if (peak > 0) for (const [id, v] of sums) sums.set(id, v / peak);
  return sums;
}
