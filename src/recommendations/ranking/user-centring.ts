import { RecipePreference } from './preference-signals';

/**
 * People use rating scales differently: one rates everything 6–9, another 1–10. What a rating
 * says about taste is how far it sits from that person's own mean, so ratings are centred per
 * user before any model sees them. Likes, dislikes, cooks and views are already relative (a like
 * is "more than the rest"), so they are not shifted; a user who only likes things keeps them.
 */

/**
 * The user's mean is shrunk towards the scale's middle (0) as if they had also given this many
 * middling ratings: with two ratings, both 9/10, the mean is not yet "9 is average for them".
 */
export const MEAN_PRIOR_RATINGS = 3;

/** The shrunk mean of a user's ratings on [-1, 1]; 0 without ratings. */
export function ratingCentre(preferences: Iterable<RecipePreference>): number {
  let sum = 0;
  let count = 0;
  for (const p of preferences) {
    if (p.kind !== 'rating') continue;
    sum += p.preference;
    count += 1;
  }
  return count === 0 ? 0 : sum / (count + MEAN_PRIOR_RATINGS);
}

/** Signed, centred strength per recipe (before recency): ratings minus the user's centre, the rest as they are. */
export function centredPreferences(preferences: ReadonlyMap<string, RecipePreference>): Map<string, number> {
  const centre = ratingCentre(preferences.values());
  const out = new Map<string, number>();
  for (const [id, p] of preferences) out.set(id, p.kind === 'rating' ? p.preference - centre : p.preference);
  return out;
}
