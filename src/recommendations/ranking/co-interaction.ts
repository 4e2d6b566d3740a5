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
  }
  return pairs;
}

/** Mean co-interaction of each dish with the user's dishes, scaled so the best candidate has 1. */
export function coInteractionScores(userItems: readonly string[], table: CoInteractions): Map<string, number> {
  const sums = new Map<string, number>();
  for (const item of userItems) {
    for (const [other, value] of table.get(item) ?? []) sums.set(other, (sums.get(other) ?? 0) + value);
  }
  for (const item of userItems) sums.delete(item);
  const peak = Math.max(0, ...sums.values());
  if (peak > 0) for (const [id, v] of sums) sums.set(id, v / peak);
  return sums;
}
