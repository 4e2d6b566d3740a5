import { Distance } from '../vector-store/vector-store.port';

/** Plain number arrays and typed arrays are both accepted so callers never copy to compare. */
export type Vector = ArrayLike<number>;

function assertSameLength(a: Vector, b: Vector): void {
  if (a.length !== b.length) {
    throw new RangeError(`Vectors differ in length: ${a.length} vs ${b.length}`);
  }
}

export function dot(a: Vector, b: Vector): number {
  assertSameLength(a, b);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

export function norm(a: Vector): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * a[i];
  return Math.sqrt(sum);
}

/** Zero when either side is the zero vector: "no signal" must not rank above a weak match. */
export function cosine(a: Vector, b: Vector): number {
  assertSameLength(a, b);
  const denominator = norm(a) * norm(b);
  return denominator === 0 ? 0 : dot(a, b) / denominator;
}

export function euclidean(a: Vector, b: Vector): number {
  assertSameLength(a, b);
  let sum = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    sum += d * d;
  }
  return Math.sqrt(sum);
}

/** Unit-length copy; the zero vector stays zero rather than becoming NaN. */
export function normalize(a: Vector): number[] {
  const length = norm(a);
  const out = new Array<number>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = length === 0 ? 0 : a[i] / length;
  return out;
}

/** Component-wise mean; optional weights (e.g. IDF) must be one per vector. */
export function mean(vectors: readonly Vector[], weights?: readonly number[]): number[] {
  if (vectors.length === 0) throw new RangeError('Cannot average zero vectors');
  if (weights && weights.length !== vectors.length) {
    throw new RangeError(`Expected ${vectors.length} weights, got ${weights.length}`);
  }
  const size = vectors[0].length;
  const out = new Array<number>(size).fill(0);
  let total = 0;
  vectors.forEach((vector, k) => {
    assertSameLength(vector, out);
    const w = weights ? weights[k] : 1;
    total += w;
    for (let i = 0; i < size; i++) out[i] += w * vector[i];
  });
  if (total === 0) return out;
  for (let i = 0; i < size; i++) out[i] /= total;
  return out;
}

/**
 * Similarity under the configured metric, oriented so higher is better for every metric
 * (Euclidean is negated), matching how the vector store reports scores.
 */
export function similarity(metric: Distance = 'cosine'): (a: Vector, b: Vector) => number {
  switch (metric) {
    case 'cosine':
      return cosine;
    case 'dot':
      return dot;
    case 'euclid':
      return (a, b) => -euclidean(a, b);
    default: {
      const unknown: never = metric;
      throw new RangeError(`Unknown distance: ${String(unknown)}`);
    }
  }
}
