/**
 * Seeded k-means for the partitioned index. Written as a generator that yields after every
 * bounded chunk of work, so the caller decides how much runs per event-loop turn; drive it to
 * the end with `runToEnd` where blocking is fine (tests, small inputs).
 */
import { SeededRandom } from '../../common/seeded-random';
import { dot } from './dot-kernel';

export interface KMeansOptions {
  k: number;
  /** Lloyd iterations after the seeding. */
  iterations: number;
  /**
   * How the first centres are chosen: `k-means++` (default) or `random` distinct points, as
   * Faiss's k-means does. k-means++ costs a pass over all points per centre, as much as a Lloyd
   * iteration and more (one accumulator chain): after a 100,000-recipe import, the partitioned
   * indexes of the model retrain spent 54 s of CPU seeding against 26 s assigning rows.
   */
  seeding?: 'k-means++' | 'random';
  seed: number;
  /**
   * Spherical k-means for unit vectors: centroids are renormalised means and "nearest" is the
   * largest dot product. Otherwise plain means and the smallest Euclidean distance.
   */
  spherical: boolean;
  /**
   * How the Lloyd iterations find each point's nearest centroid: given an iteration's centroids
   * and their biases, a function from a point to its centroid's number, or null to compare every
   * centroid (also when absent).
   */
  assigner?: (
    centroids: Float32Array,
    k: number,
    dim: number,
    bias: Float32Array,
  ) => Generator<void, ((data: Float32Array, offset: number) => number) | null>;
}

/** Vector–centroid products between yields; about a millisecond of work at 192 dimensions. */
const PRODUCTS_PER_YIELD = 4096;

/**
 * Clusters `n` rows of `data` (row-major, `dim` wide) into min(k, n) centroids, returned
 * row-major. k-means++ seeding (each new centre drawn with probability proportional to its
 * squared distance from the nearest chosen one), then Lloyd iterations; an emptied cluster is
 * reseeded with the point farthest from its centroid.
 */
export function* kmeans(data: Float32Array, n: number, dim: number, options: KMeansOptions): Generator<void, Float32Array> {
  const k = Math.max(1, Math.min(options.k, n));
  const rng = new SeededRandom(options.seed);
  const centroids = new Float32Array(k * dim);
  if (n === 0) return centroids;

  if (options.seeding === 'random') {
    // k distinct points: a partial Fisher–Yates shuffle of the point numbers.
    const order = Int32Array.from({ length: n }, (_, i) => i);
    for (let c = 0; c < k; c++) {
      const j = c + rng.nextInt(n - c);
      const pick = order[j];
      order[j] = order[c];
      order[c] = pick;
      centroids.set(data.subarray(pick * dim, (pick + 1) * dim), c * dim);
    }
    if (options.spherical) normaliseRows(centroids, k, dim);
    return yield* lloyd(data, n, dim, k, centroids, options, rng);
  }

  // k-means++ seeding.
  const nearest = new Float64Array(n).fill(Infinity);
  let chosen = rng.nextInt(n);
  let products = 0;
  for (let c = 0; c < k; c++) {
    centroids.set(data.subarray(chosen * dim, (chosen + 1) * dim), c * dim);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = squaredDistance(data, i * dim, centroids, c * dim, dim);
      if (d < nearest[i]) nearest[i] = d;
      total += nearest[i];
    }
    products += n;
    if (products >= PRODUCTS_PER_YIELD) {
      products = 0;
      yield;
    }
    if (c + 1 === k) break;
    if (total <= 0) {
      // Fewer distinct points than k: the remaining centres duplicate chosen ones.
      chosen = rng.nextInt(n);
      continue;
    }
    let target = rng.next() * total;
    chosen = n - 1;
    for (let i = 0; i < n; i++) {
      target -= nearest[i];
      if (target <= 0) {
        chosen = i;
        break;
      }
    }
  }
  if (options.spherical) normaliseRows(centroids, k, dim);
  return yield* lloyd(data, n, dim, k, centroids, options, rng);
}

/** Lloyd iterations from the seeded `centroids`, refined in place and returned. */
function* lloyd(
  data: Float32Array,
  n: number,
  dim: number,
  k: number,
  centroids: Float32Array,
  options: KMeansOptions,
  rng: SeededRandom,
): Generator<void, Float32Array> {
  let products = 0;
  const assignment = new Int32Array(n);
  const bias = new Float32Array(k);
  const sums = new Float64Array(k * dim);
  const counts = new Int32Array(k);
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    centroidBias(centroids, k, dim, options.spherical, bias);
    const assign = options.assigner ? yield* options.assigner(centroids, k, dim, bias) : null;
    const worst = { row: -1, score: Infinity };
    for (let i = 0; i < n; i++) {
      let best: { index: number; score: number };
      if (assign) {
        const index = assign(data, i * dim);
        best = { index, score: dot(centroids, index * dim, data.subarray(i * dim, (i + 1) * dim), dim) - bias[index] };
      } else best = nearestCentroid(data, i * dim, centroids, bias, k, dim);
      assignment[i] = best.index;
      if (best.score < worst.score) {
        worst.row = i;
        worst.score = best.score;
      }
      products += k;
      if (products >= PRODUCTS_PER_YIELD) {
        products = 0;
        yield;
      }
    }
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = assignment[i];
      counts[c]++;
      const base = i * dim;
      const out = c * dim;
      for (let j = 0; j < dim; j++) sums[out + j] += data[base + j];
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) {
        // Reseed from the worst-served point; later empties fall back to a random point.
        const row = worst.row >= 0 ? worst.row : rng.nextInt(n);
        worst.row = -1;
        centroids.set(data.subarray(row * dim, (row + 1) * dim), c * dim);
        continue;
      }
      for (let j = 0; j < dim; j++) centroids[c * dim + j] = sums[c * dim + j] / counts[c];
    }
    if (options.spherical) normaliseRows(centroids, k, dim);
  }
  return centroids;
}

/** Runs a generator to completion and returns its result. */
export function runToEnd<T>(work: Generator<void, T>): T {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

/**
 * Per-centroid offsets so that "nearest" is always the largest `x·c − bias[c]`: zero for unit
 * centroids (largest cosine), |c|²/2 otherwise (smallest Euclidean distance, since
 * |x−c|² = |x|² − 2(x·c − |c|²/2)).
 */
export function centroidBias(centroids: Float32Array, k: number, dim: number, spherical: boolean, out: Float32Array): void {
  for (let c = 0; c < k; c++) {
    if (spherical) {
      out[c] = 0;
      continue;
    }
    let s = 0;
    for (let j = 0; j < dim; j++) s += centroids[c * dim + j] * centroids[c * dim + j];
    out[c] = s / 2;
  }
}

/**
 * Index and score of the centroid maximising `x·c − bias[c]` for the vector at `data[offset]`.
 * Four centroids per pass over x, so each x[j] load feeds four products.
 */
export function nearestCentroid(
  data: Float32Array,
  offset: number,
  centroids: Float32Array,
  bias: Float32Array,
  k: number,
  dim: number,
): { index: number; score: number } {
  let bestIndex = 0;
  let bestScore = -Infinity;
  let c = 0;
  for (; c + 4 <= k; c += 4) {
    const b0 = c * dim;
    const b1 = b0 + dim;
    const b2 = b1 + dim;
    const b3 = b2 + dim;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let j = 0; j < dim; j++) {
      const x = data[offset + j];
      s0 += x * centroids[b0 + j];
      s1 += x * centroids[b1 + j];
      s2 += x * centroids[b2 + j];
      s3 += x * centroids[b3 + j];
    }
    s0 -= bias[c];
    s1 -= bias[c + 1];
    s2 -= bias[c + 2];
    s3 -= bias[c + 3];
    if (s0 > bestScore) {
      bestScore = s0;
      bestIndex = c;
    }
    if (s1 > bestScore) {
      bestScore = s1;
      bestIndex = c + 1;
    }
    if (s2 > bestScore) {
      bestScore = s2;
      bestIndex = c + 2;
    }
    if (s3 > bestScore) {
      bestScore = s3;
      bestIndex = c + 3;
    }
  }
  for (; c < k; c++) {
    const base = c * dim;
    let s = 0;
    for (let j = 0; j < dim; j++) s += data[offset + j] * centroids[base + j];
    s -= bias[c];
    if (s > bestScore) {
      bestScore = s;
      bestIndex = c;
    }
  }
  return { index: bestIndex, score: bestScore };
}

function squaredDistance(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, dim: number): number {
  let s = 0;
  for (let j = 0; j < dim; j++) {
    const d = a[aOffset + j] - b[bOffset + j];
    s += d * d;
  }
  return s;
}

function normaliseRows(rows: Float32Array, count: number, dim: number): void {
  for (let r = 0; r < count; r++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += rows[r * dim + j] * rows[r * dim + j];
    if (norm === 0) continue;
    const inv = 1 / Math.sqrt(norm);
    for (let j = 0; j < dim; j++) rows[r * dim + j] *= inv;
  }
}
