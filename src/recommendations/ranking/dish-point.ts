import { CompactConcepts, conceptSimilarityOf } from './concept-features';
import type { LinearSimilarity } from './taste-regression';
import { DishVectors, SPACE_WEIGHTS, SpaceName } from './taste-profile';
import { cosineSimilarity, dotProduct, squaredNorm, squaredNormF32 } from '../../retrieval/diversity';
import { dot as dotFloat32, dotRun } from '../../vector-store/embedded/dot-kernel';

/** A dish as the taste model compares it: the store's dense vectors and the catalog's concepts. */
export interface DishPoint {
  dense: DishVectors;
  /**
   * Each dense vector's squared length by space (SPACES' order), summed at most once per dish;
   * NaN until something needs it (see squaredNormOf).
   */
  squaredNorms: Float64Array;
  concepts: CompactConcepts;
}

const SPACES = Object.keys(SPACE_WEIGHTS) as SpaceName[];

/** A dish with its lengths summed now: the rated dishes, which every comparison reads. */
export function dishPoint(dense: DishVectors, concepts: CompactConcepts): DishPoint {
  const point = candidatePoint(dense, concepts);
  for (let s = 0; s < SPACES.length; s++) squaredNormOf(point, s);
  return point;
}

/**
 * A dish whose lengths are summed by the first comparison that reads its vectors: a candidate
 * of a user list is compared once, with the rated dishes' weighted sums, and that pass sums its
 * lengths too (see weightedSums). Summed apart, they were 0.46 ms of a user list's CPU at
 * 100,000 recipes (~245 candidates, a profile of one client).
 */
export function candidatePoint(dense: DishVectors, concepts: CompactConcepts): DishPoint {
  return { dense, squaredNorms: new Float64Array(SPACES.length).fill(NaN), concepts };
}

/** The squared length of the point's vector in `space` if some comparison has summed it (as squaredNormF32 sums it). */
export function summedSquaredNorm(point: DishPoint, space: SpaceName): number | undefined {
  const squared = point.squaredNorms[SPACES.indexOf(space)];
  return Number.isNaN(squared) ? undefined : squared;
}

/** The squared length of the point's vector in SPACES[s] (0 without one), summed on first use. */
function squaredNormOf(point: DishPoint, s: number): number {
  let squared = point.squaredNorms[s];
  if (Number.isNaN(squared)) {
    const vector = point.dense[SPACES[s]];
    squared = !vector ? 0 : vector instanceof Float32Array ? squaredNormF32(vector) : squaredNorm(vector);
    point.squaredNorms[s] = squared;
  }
  return squared;
}

/**
 * Share of the concept cosine in the taste model's similarity; the rest is the dense vectors'.
 * On the Italian survey (`npm run eval -- --users-only`, 27 respondents, 5 held out, 5 splits;
 * pairwise accuracy of the service / of its content part): share 0 → 0.569 / 0.528, 0.5 →
 * 0.574 / 0.541, 1 → 0.560 / 0.541. Variants of the concept side were all within the noise of
 * about ±0.014 on ~1,300 pairs: no idf 0.576 / 0.540, √idf 0.564 / 0.550, ridge 0.3 or 3 with
 * no idf 0.577 / 0.547 and 0.551 / 0.538. Half and half keeps the dense side's knowledge of
 * dishes the lexicon does not cover.
 */
export const CONCEPT_SHARE = 0.5;

/**
 * (1 − CONCEPT_SHARE) · dishSimilarity of the dense sides + CONCEPT_SHARE · the concept cosine.
 *
 * The dot product keeps four running sums (one sum waits on each addition before the next) and
 * the dish lengths are summed once per dish (squaredNormOf). The taste model itself compares a
 * candidate with the examples' weighted sums (weightedSums below), so this pairwise form only
 * builds its matrix and explains the page.
 */
function pairSimilarity(a: DishPoint, b: DishPoint): number {
  let total = 0;
  let weights = 0;
  for (let s = 0; s < SPACES.length; s++) {
    const space = SPACES[s];
    const va = a.dense[space];
    const vb = b.dense[space];
    if (!va || !vb) continue;
    total += SPACE_WEIGHTS[space] * cosine(va, vb, squaredNormOf(a, s), squaredNormOf(b, s));
    weights += SPACE_WEIGHTS[space];
  }
  const dense = weights === 0 ? 0 : total / weights;
  return (1 - CONCEPT_SHARE) * dense + CONCEPT_SHARE * conceptSimilarityOf(a.concepts, b.concepts);
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>, aSquared: number, bSquared: number): number {
  if (aSquared === 0 || bSquared === 0) return 0;
  const n = Math.min(a.length, b.length);
  if (n !== a.length || n !== b.length) return cosineSimilarity(a, b);
  return (
    (a instanceof Float32Array && b instanceof Float32Array ? dotFloat32(a, 0, b, n) : dotProduct(a, b)) / Math.sqrt(aSquared * bSquared)
  );
}

/**
 * For each row of weights w: Σ w[i] · pairSimilarity(candidate, examples[i]), as one comparison
 * per row: every term is a cosine with a fixed example, so the examples' unit vectors can be
 * summed beforehand, per set of dense spaces they have (the dense side re-weighs the spaces two
 * dishes share) and per concept number. The taste model asks for two rows, its coefficients and
 * equal weights (its prediction and the dish's affinity); with two, the candidate's vector is
 * read once for both and for its length (dotPairF32F64).
 *
 * A user list at 100,000 recipes scores ~250 candidates against the rated dishes (14 for the
 * scale bench's users). Pair by pair, with a length recomputed per pair and concepts looked up
 * by name, 250 random dishes against 14 took 7.3 ms of one core; summed, 0.65 ms (same busy
 * two-core machine). The sums add in another order, so a prediction moves in its last digits
 * (at most 1.5e-11 relative over 4,600 random predictions); the survey evaluation
 * (`npm run eval -- --users-only`) gave the same figures to the last printed digit and the
 * 165 pages of the scale bench's user and session requests the same dishes in the same order.
 */
function weightedSums(
  examples: readonly DishPoint[],
  rows: readonly (readonly number[])[],
): (candidate: DishPoint, out: Float64Array) => void {
  const r = rows.length;
  // Per set of spaces (a mask), per row and space: Σ w[i] · examples[i]'s unit vector.
  const groups = new Map<number, Array<Array<Float64Array | null>>>();
  let features = 0;
  for (const e of examples) for (const id of e.concepts.ids) features = Math.max(features, id + 1);
  const concepts = rows.map(() => new Float64Array(features));
  examples.forEach((e, i) => {
    const mask = spaceMask(e);
    let sums = groups.get(mask);
    if (!sums) {
      sums = rows.map(() => SPACES.map((space) => (e.dense[space] ? new Float64Array(e.dense[space].length) : null)));
      groups.set(mask, sums);
    }
    for (let s = 0; s < SPACES.length; s++) {
      const vector = e.dense[SPACES[s]];
      const squared = squaredNormOf(e, s);
      if (!vector || squared === 0) continue;
      for (let row = 0; row < r; row++) {
        const sum = sums[row][s];
        if (!sum) continue;
        const scale = rows[row][i] / Math.sqrt(squared);
        for (let k = 0; k < vector.length && k < sum.length; k++) sum[k] += scale * vector[k];
      }
    }
    const { ids, weights: w } = e.concepts;
    for (let row = 0; row < r; row++) for (let k = 0; k < ids.length; k++) concepts[row][ids[k]] += rows[row][i] * w[k];
  });
  const byMask = [...groups];
  const dense = new Float64Array(r);
  const dots = new Float64Array(r);
  return (candidate, out) => {
    const mask = spaceMask(candidate);
    dense.fill(0);
    for (const [group, sums] of byMask) {
      const both = group & mask;
      if (both === 0) continue;
      let norm = 0;
      for (let s = 0; s < SPACES.length; s++) if (both & (1 << s)) norm += SPACE_WEIGHTS[SPACES[s]];
      for (let s = 0; s < SPACES.length; s++) {
        if (!(both & (1 << s))) continue;
        const vector = candidate.dense[SPACES[s]]!;
        let squared = candidate.squaredNorms[s];
        if (r === 2 && vector instanceof Float32Array && vector.length === sums[0][s]!.length && vector.length === sums[1][s]!.length) {
          // Summed again when a second group of examples reads the vector (examples without some space): rare.
          const summed = dotPairF32F64(vector, sums[0][s]!, sums[1][s]!, dots);
          if (Number.isNaN(squared)) candidate.squaredNorms[s] = squared = summed;
        } else {
          squared = squaredNormOf(candidate, s);
          for (let row = 0; row < r; row++) {
            const sum = sums[row][s]!;
            dots[row] = vector instanceof Float32Array ? dotF32F64(vector, sum) : dotProduct(vector, sum);
          }
        }
        if (squared === 0) continue;
        const scale = SPACE_WEIGHTS[SPACES[s]] / norm;
        for (let row = 0; row < r; row++) dense[row] += scale * (dots[row] / Math.sqrt(squared));
      }
    }
    const { ids, weights: w } = candidate.concepts;
    for (let row = 0; row < r; row++) {
      const sums = concepts[row];
      let concept = 0;
      for (let k = 0; k < ids.length; k++) if (ids[k] < sums.length) concept += w[k] * sums[ids[k]];
      out[row] = (1 - CONCEPT_SHARE) * dense[row] + CONCEPT_SHARE * concept;
    }
  };
}

/**
 * pairSimilarity(point, examples[j]) for every j from `from` on, into `out[j]`, with each space's
 * dot products as one run of the SIMD kernel over the examples' vectors packed together (the
 * kernel equals the scalar dot above bit for bit, so each value is pairSimilarity's own).
 *
 * The taste model compares every pair of a user's rated dishes (its Gram matrix) and each dish
 * of the page with all of them (its reasons): ~3,100 pairs a list for the scale bench's users
 * of ~70 dishes, one pair at a time 5.4% of a user list's CPU at 100,000 recipes. Vectors that
 * are not float32 (plain arrays in tests and evaluations) or differ in length are compared pair
 * by pair, as the kernel would round or cut them.
 */
function similaritiesTo(examples: readonly DishPoint[]): (point: DishPoint, from: number, out: Float64Array) => void {
  const n = examples.length;
  const packed = SPACES.map((space) => {
    const first = examples.find((e) => e.dense[space])?.dense[space];
    const dim = first?.length ?? 0;
    // rows[j]: example j's row in `data`, -1 without a vector in this space.
    const rows = new Int32Array(n).fill(-1);
    let count = 0;
    for (let j = 0; j < n; j++) {
      const vector = examples[j].dense[space];
      if (!vector) continue;
      if (!(vector instanceof Float32Array) || vector.length !== dim) return null;
      rows[j] = count++;
    }
    const data = new Float32Array(count * dim);
    for (let j = 0; j < n; j++) if (rows[j] >= 0) data.set(examples[j].dense[space] as Float32Array, rows[j] * dim);
    return { dim, rows, data, count };
  });
  const total = new Float64Array(n);
  const weights = new Float64Array(n);
  return (point, from, out) => {
    const fits = packed.every((p, s) => {
      const vector = point.dense[SPACES[s]];
      return p !== null && (!vector || (vector instanceof Float32Array && (p.count === 0 || vector.length === p.dim)));
    });
    if (!fits) {
      for (let j = from; j < n; j++) out[j] = pairSimilarity(point, examples[j]);
      return;
    }
    total.fill(0, from);
    weights.fill(0, from);
    SPACES.forEach((space, s) => {
      const vector = point.dense[space] as Float32Array | undefined;
      const { dim, rows, data, count } = packed[s]!;
      if (!vector || count === 0) return;
      let start = count;
      for (let j = from; j < n; j++) {
        if (rows[j] >= 0) {
          start = rows[j];
          break;
        }
      }
      if (start === count) return;
      const dots = dotRun(data.subarray(start * dim), count - start, dim, vector);
      const squared = squaredNormOf(point, s);
      for (let j = from; j < n; j++) {
        const row = rows[j];
        if (row < 0) continue;
        const other = squaredNormOf(examples[j], s);
        const cosine = squared === 0 || other === 0 ? 0 : dots[row - start] / Math.sqrt(squared * other);
        total[j] += SPACE_WEIGHTS[space] * cosine;
        weights[j] += SPACE_WEIGHTS[space];
      }
    });
    for (let j = from; j < n; j++) {
      const dense = weights[j] === 0 ? 0 : total[j] / weights[j];
      out[j] = (1 - CONCEPT_SHARE) * dense + CONCEPT_SHARE * conceptSimilarityOf(point.concepts, examples[j].concepts);
    }
  };
}

/** Bit s set: the dish has a vector in SPACES[s]. */
function spaceMask(point: DishPoint): number {
  let mask = 0;
  for (let s = 0; s < SPACES.length; s++) if (point.dense[SPACES[s]]) mask |= 1 << s;
  return mask;
}

/**
 * `dotProduct` (diversity.ts) of a store's float32 vector with the examples' float64 weighted
 * sums. A loop that only ever reads these two kinds of array is compiled to direct loads;
 * `dotProduct` also sees plain arrays (tests, evaluations) and float32 arrays in its second
 * operand, and reads slower for it (see squaredNormF32). Two float32 vectors go to the store's
 * own float32 `dot` (dot-kernel.ts) for the same reason. The bodies are alike on purpose: V8
 * keeps what it learnt about array kinds per function, so one shared body would see every kind
 * again. All add in the same order, so the results are the same. ABBA rounds of user lists on the restarted 100,000-recipe catalog (one
 * client, 8 × 6 s each): p50 8.42 → 7.94 ms, CPU 8.70 → 8.24 ms a list, with MMR's float32 loops
 * (diversity.ts).
 */
function dotF32F64(a: Float32Array, b: Float64Array): number {
  const n = Math.min(a.length, b.length);
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += a[i] * b[i];
    s1 += a[i + 1] * b[i + 1];
    s2 += a[i + 2] * b[i + 2];
    s3 += a[i + 3] * b[i + 3];
  }
  for (; i < n; i++) s0 += a[i] * b[i];
  return s0 + s1 + s2 + s3;
}

/**
 * dotF32F64(a, b) and dotF32F64(a, c) into out[0] and out[1]; returns a's squared length summed
 * as squaredNormF32 sums it. One read of the candidate's vector for what took three. Each sum
 * adds in the order of the function it stands for, so the values are theirs to the bit. Vectors
 * of one length only.
 */
function dotPairF32F64(a: Float32Array, b: Float64Array, c: Float64Array, out: Float64Array): number {
  const n = a.length;
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  let b3 = 0;
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  let squared = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const x0 = a[i];
    const x1 = a[i + 1];
    const x2 = a[i + 2];
    const x3 = a[i + 3];
    b0 += x0 * b[i];
    b1 += x1 * b[i + 1];
    b2 += x2 * b[i + 2];
    b3 += x3 * b[i + 3];
    c0 += x0 * c[i];
    c1 += x1 * c[i + 1];
    c2 += x2 * c[i + 2];
    c3 += x3 * c[i + 3];
    squared += x0 * x0;
    squared += x1 * x1;
    squared += x2 * x2;
    squared += x3 * x3;
  }
  for (; i < n; i++) {
    b0 += a[i] * b[i];
    c0 += a[i] * c[i];
    squared += a[i] * a[i];
  }
  out[0] = b0 + b1 + b2 + b3;
  out[1] = c0 + c1 + c2 + c3;
  return squared;
}

/** The taste model's similarity of two dishes, with its weighted-sum and one-to-many forms (see TasteRegression). */
export const pointSimilarity: LinearSimilarity<DishPoint> = Object.assign(pairSimilarity, { weightedSums, similaritiesTo });
