import { InteractionSignal } from '../../users/user-interaction.types';
import { cookedPreference, HALF_LIFE_DAYS, IMPLICIT_PREFERENCE, recencyWeight, recipePreferences } from './preference-signals';

const NOW = Date.parse('2025-06-30T12:00:00Z');
const daysAgo = (days: number) => new Date(NOW - days * 86_400_000).toISOString();
const signal = (recipeId: string, type: InteractionSignal['type'], days: number, preference: number | null = null): InteractionSignal => ({
  userId: 'u',
  recipeId,
  type,
  preference,
  at: daysAgo(days),
});

describe('recencyWeight', () => {
  it('halves every half-life and counts future times as now', () => {
    expect(recencyWeight(daysAgo(0), NOW)).toBe(1);
    expect(recencyWeight(daysAgo(HALF_LIFE_DAYS), NOW)).toBeCloseTo(0.5);
    expect(recencyWeight(daysAgo(2 * HALF_LIFE_DAYS), NOW)).toBeCloseTo(0.25);
    expect(recencyWeight(daysAgo(-3), NOW)).toBe(1);
    expect(recencyWeight('not a date', NOW)).toBe(0);
  });
});

describe('recipePreferences', () => {
  it('weighs a like by its age and a rating by its normalised value', () => {
    const prefs = recipePreferences([signal('a', 'like', 30), signal('b', 'rating', 0, 0.5)], NOW);
    expect(prefs.get('a')).toMatchObject({ preference: 1, excluded: true });
    expect(prefs.get('a')!.weight).toBeCloseTo(0.5);
    expect(prefs.get('b')!.weight).toBeCloseTo(0.5);
  });

  it('lets the latest explicit opinion win, whatever the order of the rows', () => {
    const prefs = recipePreferences([signal('a', 'dislike', 1), signal('a', 'like', 10)], NOW);
    expect(prefs.get('a')!.preference).toBe(-1);
  });

  it('prefers an opinion to behaviour, and cooking to viewing', () => {
    const prefs = recipePreferences(
      [signal('a', 'cooked', 0), signal('a', 'dislike', 5), signal('b', 'view', 0), signal('b', 'cooked', 3), signal('c', 'view', 0)],
      NOW,
    );
    expect(prefs.get('a')!.preference).toBe(-1);
    expect(prefs.get('b')!.preference).toBe(IMPLICIT_PREFERENCE.cooked);
    expect(prefs.get('c')).toMatchObject({ preference: 0.15, excluded: false });
    expect(prefs.get('b')!.excluded).toBe(true);
  });

  it('weighs a view below a like below a cook, and counts a repeated cook up to a cap', () => {
    const prefs = recipePreferences(
      [
        signal('viewed', 'view', 0),
        signal('liked', 'like', 0),
        signal('once', 'cooked', 0),
        signal('thrice', 'cooked', 0),
        signal('thrice', 'cooked', 1),
        signal('thrice', 'cooked', 2),
      ],
      NOW,
    );
    const weights = ['viewed', 'liked', 'once', 'thrice'].map((id) => prefs.get(id)!.weight);
    expect([...weights].sort((a, b) => a - b)).toEqual(weights);
    expect(new Set(weights).size).toBe(4);
    expect(cookedPreference(50)).toBe(IMPLICIT_PREFERENCE.cookedMax);
  });

  it('lets cooking a liked dish count as cooked, but never over a rating or a dislike', () => {
    const prefs = recipePreferences(
      [signal('a', 'like', 3), signal('a', 'cooked', 1), signal('b', 'rating', 0, -0.5), signal('b', 'cooked', 1)],
      NOW,
    );
    expect(prefs.get('a')).toMatchObject({ kind: 'cooked', preference: IMPLICIT_PREFERENCE.cooked });
    expect(prefs.get('b')).toMatchObject({ kind: 'rating', preference: -0.5 });
  });
});
