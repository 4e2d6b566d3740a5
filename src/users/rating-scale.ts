/**
 * Ratings arrive on a 5-point or a 10-point scale, named by the client (`scale`, default 5): a
 * value alone cannot tell them apart (is 4 good or poor?). Values run from 1 to the scale.
 */
export const RATING_SCALES = [5, 10] as const;
export type RatingScale = (typeof RATING_SCALES)[number];
export const DEFAULT_RATING_SCALE: RatingScale = 5;

/** Whether a value is a rating on the scale: a number from 1 to the scale (halves allowed). */
export function isValidRating(value: unknown, scale: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 1 && value <= scale;
}

/**
 * A rating as a preference on [-1, 1]: linear, lowest → -1, the middle of the scale → 0 (3 of 5,
 * 5.5 of 10), highest → 1. Linear keeps "4 of 5" and "8 of 10" close (0.5 and 0.56), which is
 * how people use the two scales.
 */
export function ratingToPreference(value: number, scale: number): number {
  if (!isValidRating(value, scale)) throw new RangeError(`Rating ${value} is not on a 1–${scale} scale`);
  return round((2 * (value - 1)) / (scale - 1) - 1);
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
