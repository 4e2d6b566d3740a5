import { CompactConcepts, conceptSimilarityOf } from './concept-features';
import type { LinearSimilarity } from './taste-regression';
import { DishVectors, SPACE_WEIGHTS, SpaceName } from './taste-profile';
import { cosineSimilarity, squaredNorm, squaredNormF32 } from '../../retrieval/diversity';
import { dot as dotFloat32, dotRun } from '../../vector-store/embedded/dot-kernel';

/** A dish as the taste model compares it: the store's dense vectors and the catalog's concepts. */
export interface DishPoint {
  dense: DishVectors;
  /** Each dense vector's squared length, summed once per dish rather than once per comparison. */
  squaredNorms: Partial<Record<SpaceName, number>>;
  concepts: CompactConcepts;
}

const SPACES = Object.keys(SPACE_WEIGHTS) as SpaceName[];

export function dishPoint(dense: DishVectors, concepts: CompactConcepts): DishPoint {
  const squaredNorms: DishPoint['squaredNorms'] = {};
  for (const space of SPACES) {
    const vector = dense[space];
    if (vector) squaredNorms[space] = vector instanceof Float32Array ? squaredNormF32(vector) : squaredNorm(vector);
  }
  return { dense, squaredNorms, concepts };
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
 * the dish lengths are summed once per dish (dishPoint). The taste model itself compares a
 * candidate with the examples' weighted sum (weightedSum below), so this pairwise form only
 * builds its matrix and explains the page.
 */
function pairSimilarity(a: DishPoint, b: DishPoint): number {
  let total = 0;
  let weights = 0;
  for (const space of SPACES) {
    const va = a.dense[space];
    const vb = b.dense[space];
    if (!va || !vb) continue;
    total += SPACE_WEIGHTS[space] * cosine(va, vb, a.squaredNorms[space]!, b.squaredNorms[space]!);
    weights += SPACE_WEIGHTS[space];
  }
  const dense = weights === 0 ? 0 : total / weights;
  return (1 - CONCEPT_SHARE) * dense + CONCEPT_SHARE * conceptSimilarityOf(a.concepts, b.concepts);
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>, aSquared: number, bSquared: number): number {
  if (aSquared === 0 || bSquared === 0) return 0;
  const n = Math.min(a.length, b.length);
  if (n !== a.length || n !== b.length) return cosineSimilarity(a, b);
  return (a instanceof Float32Array && b instanceof Float32Array ? dotFloat32(a, 0, b, n) : dot(a, b)) / Math.sqrt(aSquared * bSquared);
}

/**
 * Σ weights[i] · pairSimilarity(candidate, examples[i]) as one comparison: every term is a cosine
 * with a fixed example, so the examples' unit vectors can be summed beforehand, per set of dense
 * spaces they have (the dense side re-weighs the spaces two dishes share) and per concept number.
 *
 * A user list at 100,000 recipes scores ~250 candidates against the rated dishes (14 for the
 * scale bench's users). Pair by pair, with a length recomputed per pair and concepts looked up
 * by name, 250 random dishes against 14 took 7.3 ms of one core; summed, 0.65 ms (same busy
 * two-core machine). The sums add in another order, so a prediction moves in its last digits
 * (at most 1.5e-11 relative over 4,600 random predictions); the survey evaluation
 * (`npm run eval -- --users-only`) gave the same figures to the last printed digit and the
 * 165 pages of the scale bench's user and session requests the same dishes in the same order.
 */
function weightedSum(examples: readonly DishPoint[], weights: readonly number[]): (candidate: DishPoint) => number {
  const groups = new Map<number, Array<Float64Array | null>>();
  let features = 0;
  for (const e of examples) for (const id of e.concepts.ids) features = Math.max(features, id + 1);
  const concepts = new Float64Array(features);
  examples.forEach((e, i) => {
    const mask = spaceMask(e);
    let sums = groups.get(mask);
    if (!sums) {
      sums = SPACES.map((space) => (e.dense[space] ? new Float64Array(e.dense[space].length) : null));
      groups.set(mask, sums);
    }
    SPACES.forEach((space, s) => {
      const vector = e.dense[space];
      const sum = sums[s];
      const squared = e.squaredNorms[space] ?? 0;
      if (!vector || !sum || squared === 0) return;
      const scale = weights[i] / Math.sqrt(squared);
      for (let k = 0; k < vector.length && k < sum.length; k++) sum[k] += scale * vector[k];
    });
    const { ids, weights: w } = e.concepts;
    for (let k = 0; k < ids.length; k++) concepts[ids[k]] += weights[i] * w[k];
  });
  const byMask = [...groups];
  return (candidate) => {
    const mask = spaceMask(candidate);
    let dense = 0;
    for (const [group, sums] of byMask) {
      const both = group & mask;
      if (both === 0) continue;
      let norm = 0;
      for (let s = 0; s < SPACES.length; s++) if (both & (1 << s)) norm += SPACE_WEIGHTS[SPACES[s]];
      for (let s = 0; s < SPACES.length; s++) {
        if (!(both & (1 << s))) continue;
        const space = SPACES[s];
        const squared = candidate.squaredNorms[space]!;
        if (squared === 0) continue;
        const vector = candidate.dense[space]!;
        const sum = sums[s]!;
        dense +=
          (SPACE_WEIGHTS[space] / norm) *
          ((vector instanceof Float32Array ? dotF32F64(vector, sum) : dot(vector, sum)) / Math.sqrt(squared));
      }
    }
    let concept = 0;
    const { ids, weights: w } = candidate.concepts;
    for (let k = 0; k < ids.length; k++) if (ids[k] < concepts.length) concept += w[k] * concepts[ids[k]];
    return (1 - CONCEPT_SHARE) * dense + CONCEPT_SHARE * concept;
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
      const squared = point.squaredNorms[space]!;
      for (let j = from; j < n; j++) {
        const row = rows[j];
        if (row < 0) continue;
        const other = examples[j].squaredNorms[space]!;
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

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
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
 * `dot` of a store's float32 vector with the examples' float64 weighted sums. A loop that only
 * ever reads these two kinds of array is compiled to direct loads; `dot` itself also sees plain
 * arrays (tests, evaluations) and float32 arrays in its second operand, and reads slower for it
 * (see squaredNormF32). Two float32 vectors go to the store's own float32 `dot` (dot-kernel.ts)
 * for the same reason. The bodies are alike on purpose: V8 keeps what it learnt about array kinds
 * per function, so one shared body would see every kind again. Both add in `dot`'s order, so the
 * results are the same. ABBA rounds of user lists on the restarted 100,000-recipe catalog (one
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

/** The taste model's similarity of two dishes, with its weighted-sum and one-to-many forms (see TasteRegression). */
export const pointSimilarity: LinearSimilarity<DishPoint> = Object.assign(pairSimilarity, { weightedSum, similaritiesTo });
