import { RecipePreference } from './preference-signals';
import { centredPreferences, MEAN_PRIOR_RATINGS, ratingCentre } from './user-centring';

const pref = (recipeId: string, kind: RecipePreference['kind'], preference: number): RecipePreference => ({
  recipeId,
  kind,
  preference,
  recency: 1,
  weight: preference,
  excluded: kind !== 'view',
});
const asMap = (prefs: RecipePreference[]) => new Map(prefs.map((p) => [p.recipeId, p]));

describe('rating centring', () => {
  it('turns a generous rater’s lowest rating into a negative signal', () => {
    // Ratings 6, 8, 9, 9, 10 of 10 on [-1, 1]: all "positive" on the scale, but the 6 is this user's worst.
    const ratings = [0.11, 0.56, 0.78, 0.78, 1].map((v, i) => pref(`r${i}`, 'rating', v));
    const centred = centredPreferences(asMap(ratings));
    expect(centred.get('r0')!).toBeLessThan(0);
    expect(centred.get('r4')!).toBeGreaterThan(0);
  });

  it('shrinks the mean of few ratings towards the middle of the scale', () => {
    expect(ratingCentre([pref('a', 'rating', 0.8)])).toBeCloseTo(0.8 / (1 + MEAN_PRIOR_RATINGS));
    const many = Array.from({ length: 40 }, (_, i) => pref(`r${i}`, 'rating', 0.8));
    expect(ratingCentre(many)).toBeGreaterThan(0.7);
    expect(ratingCentre([])).toBe(0);
  });

  it('leaves likes, dislikes, cooks and views as they are', () => {
    const centred = centredPreferences(
      asMap([pref('l', 'like', 1), pref('d', 'dislike', -1), pref('c', 'cooked', 1.25), pref('v', 'view', 0.15), pref('r', 'rating', 1)]),
    );
    expect([centred.get('l'), centred.get('d'), centred.get('c'), centred.get('v')]).toEqual([1, -1, 1.25, 0.15]);
    expect(centred.get('r')).toBeCloseTo(1 - 1 / (1 + MEAN_PRIOR_RATINGS));
  });
});
