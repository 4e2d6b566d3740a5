import { fnv1a32 } from './term-hash';

/**
 * The most recipes a food-concept model is trained on by default (`TRAINING_SAMPLE_MAX`). A
 * larger catalog is sampled: co-occurrence
 * statistics over a few hundred concepts settle long before this many recipes, and training
 * reads, analyses and holds every recipe it learns from. At 1,000,000 recipes a retrain that
 * read the whole catalog held every analysis at once (the service's RSS rose from 3.8 to over
 * 5 GiB before its new index began to fill).
 */
export const TRAINING_SAMPLE_MAX = 100_000;

/** Which recipes a model was trained on: all of them, or a share of a larger catalog. */
export interface TrainingSample {
  /** Share of the catalog's recipes in the sample, in (0, 1]; 1 is the whole catalog. */
  rate: number;
  /** Recipes in the catalog when the model was trained (sampled or not). */
  catalogSize: number;
}

export function trainingSample(catalogSize: number, max: number = TRAINING_SAMPLE_MAX): TrainingSample {
  return { rate: catalogSize <= max ? 1 : max / catalogSize, catalogSize };
}

/**
 * Whether recipe `id` belongs to a sample at `rate`: decided by a hash of the id alone, so a
 * recipe stays in (or out) as the catalog changes around it, and the drift check after an edit
 * compares the same recipes the model was trained on.
 */
export function inTrainingSample(id: string, rate: number): boolean {
  return rate >= 1 || fnv1a32(id) < rate * 2 ** 32;
}
