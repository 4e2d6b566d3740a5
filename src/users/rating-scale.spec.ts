import { isValidRating, ratingToPreference } from './rating-scale';

describe('ratingToPreference', () => {
  it('maps a 5-point rating onto [-1, 1] with the middle at 0', () => {
    expect([1, 2, 3, 4, 5].map((v) => ratingToPreference(v, 5))).toEqual([-1, -0.5, 0, 0.5, 1]);
  });

  it('maps a 10-point rating onto the same range', () => {
    expect(ratingToPreference(1, 10)).toBe(-1);
    expect(ratingToPreference(10, 10)).toBe(1);
    expect(ratingToPreference(5.5, 10)).toBeCloseTo(0);
    expect(ratingToPreference(8, 10)).toBeCloseTo(0.5556, 3);
  });

  it('refuses values off the scale', () => {
    expect(() => ratingToPreference(0, 5)).toThrow(RangeError);
    expect(() => ratingToPreference(6, 5)).toThrow(RangeError);
    expect(() => ratingToPreference(Number.NaN, 10)).toThrow(RangeError);
  });

  it('tells valid ratings from other values', () => {
    expect(isValidRating(4.5, 5)).toBe(true);
    expect(isValidRating(7, 5)).toBe(false);
    expect(isValidRating(7, 10)).toBe(true);
    expect(isValidRating('4', 5)).toBe(false);
  });
});
