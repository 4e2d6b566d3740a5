import { InteractionSignal } from '../../users/user-interaction.types';
import { byUser, recipePreferences } from './preference-signals';
import { centredPreferences } from './user-centring';

/**
 * What everyone else thinks of a dish, on the same centred scale as one user's opinions: the
 * mean of users' centred preferences, shrunk towards 0 as if PRIOR_SHRINK more users had been
 * indifferent, so one enthusiastic rating does not make a dish "popular". This is the
 * collaborative signal that already works with a few dozen users (user-user neighbourhoods need
 * overlap that small communities do not have: see collaborative-scores).
 */
export const PRIOR_SHRINK = 2;

export function itemPriors(interactions: readonly InteractionSignal[], now: number): Map<string, number> {
  const sums = new Map<string, { sum: number; count: number }>();
  for (const signals of byUser(interactions).values()) {
    const preferences = recipePreferences(signals, now);
    for (const [recipeId, centred] of centredPreferences(preferences)) {
      const entry = sums.get(recipeId) ?? { sum: 0, count: 0 };
      entry.sum += centred * preferences.get(recipeId)!.recency;
      entry.count += 1;
      sums.set(recipeId, entry);
    }
  }
  const out = new Map<string, number>();
  for (const [recipeId, { sum, count }] of sums) out.set(recipeId, sum / (count + PRIOR_SHRINK));
  return out;
}
