import { DishVectors, dishSimilarity } from './taste-profile';

/**
 * What a user would think of a dish they have not rated, learned from the few they have: kernel
 * ridge regression of their centred opinions on dish similarity. A new dish's prediction is a
 * weighted sum of its similarity to every rated dish, the weights solved together so two near
 * copies of one liked dish do not count twice and a liked and a disliked dish that are alike
 * cancel out instead of both pulling. The ridge term shrinks everything towards 0 (no opinion):
 * with two ratings the predictions stay small, with twenty they take shape.
 */

/**
 * Ridge strength. In a prototype of this model on the Italian survey (16 ratings per person,
 * 5 held out, 10 splits), pairwise accuracy was flat for λ from 0.3 to 3 (0.569–0.579) and it was
 * not tuned further; 1 keeps a single rating's prediction at half its value.
 */
export const RIDGE = 1;

export interface RegressionExample<T = DishVectors> {
  id: string;
  /** What the similarity compares: the dish's vectors, or whatever the model was given a similarity for. */
  vectors: T;
  /** Centred opinion (negative: pushes similar dishes down). */
  target: number;
  /** Confidence on (0, 1]: recency. A faint example is regularised harder, so it moves predictions less. */
  confidence: number;
}

export interface Prediction {
  value: number;
  /** Mean similarity to everything the user has an opinion on, whatever the sign: how much this dish is in their world. */
  affinity: number;
  /** Each example's share of `value` (coefficient × similarity), largest first. */
  readonly contributions: Array<{ id: string; contribution: number; similarity: number }>;
}

/**
 * A similarity that is a sum of dot products with the example's own vectors (cosines of fixed
 * unit vectors): Σ wᵢ · similarity(candidate, exampleᵢ) is then one comparison of the candidate
 * with a weighted sum of the examples, whatever their number.
 */
export interface LinearSimilarity<T> {
  (a: T, b: T): number;
  /** (candidate, out) ↦ out[r] = Σ rows[r][i] · similarity(candidate, examples[i]) for every row r. */
  weightedSums(examples: readonly T[], rows: readonly (readonly number[])[]): (candidate: T, out: Float64Array) => void;
  /** (point, from, out) ↦ out[j] = similarity(point, examples[j]) for every j ≥ from, the same values in one pass. */
  similaritiesTo?(examples: readonly T[]): (point: T, from: number, out: Float64Array) => void;
}

export class TasteRegression<T = DishVectors> {
  private readonly coefficients: number[];
  /** Mean similarity between the rated dishes themselves: the affinity of a dish that is "one of theirs". */
  readonly typicalAffinity: number;
  /** (candidate, out) ↦ [value, affinity], with a LinearSimilarity. */
  private readonly sums?: (candidate: T, out: Float64Array) => void;
  /** `sums`' answer for the candidate being predicted (read before predict returns). */
  private readonly both = new Float64Array(2);
  /** The similarity's one-to-many form over the examples, when it has one. */
  private readonly toExamples?: (point: T, from: number, out: Float64Array) => void;

  constructor(
    private readonly examples: readonly RegressionExample<T>[],
    ridge = RIDGE,
    private readonly similarity: ((a: T, b: T) => number) | LinearSimilarity<T> = dishSimilarity as unknown as (a: T, b: T) => number,
  ) {
    const n = examples.length;
    const vectors = examples.map((e) => e.vectors);
    this.toExamples = 'similaritiesTo' in similarity && similarity.similaritiesTo ? similarity.similaritiesTo(vectors) : undefined;
    // A kernel is symmetric, so each pair is compared once: the Gram matrix of a user's rated
    // dishes was ~9% of a user list's CPU at 100,000 recipes (a profile, bench users of 10–50).
    const gram = examples.map(() => new Array<number>(n).fill(0));
    const row = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      gram[i][i] = 1 + ridge / Math.max(1e-3, examples[i].confidence);
      this.toExamples?.(vectors[i], i + 1, row);
      for (let j = i + 1; j < n; j++) {
        const value = this.toExamples ? row[j] : similarity(vectors[i], vectors[j]);
        gram[i][j] = value;
        gram[j][i] = value;
      }
    }
    this.coefficients =
      n === 0
        ? []
        : solve(
            gram,
            examples.map((e) => e.target),
          );
    let pairSum = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) pairSum += gram[i][j];
    this.typicalAffinity = n > 1 ? pairSum / (n * (n - 1)) : 1;
    if ('weightedSums' in similarity && n > 0) {
      this.sums = similarity.weightedSums(vectors, [this.coefficients, examples.map(() => 1 / n)]);
    }
  }

  /**
   * With a LinearSimilarity, value and affinity are one comparison with the examples' weighted
   * sums. Either way the per-example contributions are worked out and sorted only when asked
   * for: a user list scores ~250 candidates but explains only its page.
   */
  predict(candidate: T): Prediction {
    if (this.sums) {
      const { both } = this;
      this.sums(candidate, both);
      return new RegressionPrediction(both[0], both[1], this.examples, this.coefficients, () => this.similaritiesOf(candidate));
    }
    const n = this.examples.length;
    const similarities = new Float64Array(n);
    let value = 0;
    let affinity = 0;
    for (let i = 0; i < n; i++) {
      const similarity = this.similarity(candidate, this.examples[i].vectors);
      similarities[i] = similarity;
      value += this.coefficients[i] * similarity;
      affinity += similarity;
    }
    return new RegressionPrediction(value, n ? affinity / n : 0, this.examples, this.coefficients, () => similarities);
  }

  private similaritiesOf(candidate: T): Float64Array {
    const out = new Float64Array(this.examples.length);
    if (this.toExamples) this.toExamples(candidate, 0, out);
    else for (let i = 0; i < out.length; i++) out[i] = this.similarity(candidate, this.examples[i].vectors);
    return out;
  }
}

class RegressionPrediction implements Prediction {
  private sorted?: Prediction['contributions'];

  constructor(
    readonly value: number,
    readonly affinity: number,
    private readonly examples: readonly RegressionExample<unknown>[],
    private readonly coefficients: readonly number[],
    private readonly similarities: () => Float64Array,
  ) {}

  get contributions(): Prediction['contributions'] {
    if (!this.sorted) {
      const similarities = this.similarities();
      this.sorted = this.examples.map((example, i) => ({
        id: example.id,
        contribution: this.coefficients[i] * similarities[i],
        similarity: similarities[i],
      }));
      this.sorted.sort((a, b) => b.contribution - a.contribution || a.id.localeCompare(b.id));
    }
    return this.sorted;
  }
}

/** Gaussian elimination with partial pivoting; the matrix is small (at most a few hundred rated dishes). */
export function solve(matrix: number[][], rhs: number[]): number[] {
  const n = rhs.length;
  const a = matrix.map((row, i) => [...row, rhs[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) pivot = row;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    const p = a[col][col];
    if (Math.abs(p) < 1e-12) continue;
    for (let row = col + 1; row < n; row++) {
      const factor = a[row][col] / p;
      if (factor === 0) continue;
      for (let k = col; k <= n; k++) a[row][k] -= factor * a[col][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = a[row][n];
    for (let k = row + 1; k < n; k++) sum -= a[row][k] * x[k];
    x[row] = Math.abs(a[row][row]) < 1e-12 ? 0 : sum / a[row][row];
  }
  return x;
}
