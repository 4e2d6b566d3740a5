import { Prediction, RegressionExample } from './taste-regression';

/** Reasons named per hit at most. */
export const MAX_REASONS = 3;

/**
 * The liked dishes that drove a prediction: those the user rated above their own average whose
 * share of the prediction is positive, largest share first, keeping those within half of the
 * largest (a dish that added a crumb is not a reason). Disliked dishes also move predictions,
 * but "because you liked" names only liked ones.
 */
export function drivingDishes(
  prediction: Prediction,
  examples: ReadonlyArray<Pick<RegressionExample<unknown>, 'id' | 'target'>>,
  max = MAX_REASONS,
): string[] {
  const liked = new Set(examples.filter((e) => e.target > 0).map((e) => e.id));
  const drivers = prediction.contributions.filter((c) => liked.has(c.id) && c.contribution > 0 && c.similarity > 0);
  if (drivers.length === 0) return [];
  const floor = drivers[0].contribution / 2;
  return drivers
    .filter((c) => c.contribution >= floor)
    .slice(0, max)
    .map((c) => c.id);
}
