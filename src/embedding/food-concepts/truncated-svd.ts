import { runToEnd, Steps } from '../../common/event-loop';
import { SeededRandom } from '../../common/seeded-random';

/** A dense row-major matrix; small (hundreds × hundreds) so plain loops are fast enough. */
export interface DenseMatrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export interface TruncatedSvd {
  /** Left singular vectors, rows × rank, row-major. */
  u: Float64Array;
  singularValues: Float64Array;
  rank: number;
}

export interface TruncatedSvdOptions {
  rank: number;
  seed: number;
  /** Extra random directions beyond `rank`; improves accuracy of the trailing components. */
  oversampling?: number;
  /** Subspace (power) iterations; PPMI spectra decay slowly, so a few help a lot. */
  powerIterations?: number;
}

/**
 * Randomized truncated SVD (range finder + subspace iteration, Halko–Martinsson–Tropp).
 * Only the left vectors are needed: concept vectors are U·Σ^½.
 */
export function truncatedSvd(matrix: DenseMatrix, options: TruncatedSvdOptions): TruncatedSvd {
  return runToEnd(truncatedSvdSteps(matrix, options));
}

/**
 * The same computation, pausing (`yield`) after each matrix-vector product, column and sweep row,
 * so a server can let requests in: about 1.5 s in one piece on a loaded 2-core machine.
 */
export function* truncatedSvdSteps(matrix: DenseMatrix, options: TruncatedSvdOptions): Steps<TruncatedSvd> {
  const { rows, cols } = matrix;
  const maxRank = Math.min(rows, cols);
  const rank = Math.min(options.rank, maxRank);
  const sketch = Math.min(rank + (options.oversampling ?? 10), maxRank);
  const random = new SeededRandom(options.seed);
  if (rank === 0) return { u: new Float64Array(0), singularValues: new Float64Array(0), rank: 0 };

  const omega: Float64Array[] = [];
  for (let k = 0; k < sketch; k++) {
    const column = new Float64Array(cols);
    for (let j = 0; j < cols; j++) column[j] = random.nextGaussian();
    omega.push(column);
  }
  let q = yield* orthonormalize(yield* mapSteps(omega, (column) => multiply(matrix, column)));
  for (let i = 0; i < (options.powerIterations ?? 4); i++) {
    const z = yield* orthonormalize(yield* mapSteps(q, (column) => multiplyTransposed(matrix, column)));
    q = yield* orthonormalize(yield* mapSteps(z, (column) => multiply(matrix, column)));
  }

  // B = Qᵀ·A is small (sketch × cols); the eigenvectors of B·Bᵀ rotate Q into U.
  const b = yield* mapSteps(q, (column) => multiplyTransposed(matrix, column));
  const gram = new Float64Array(sketch * sketch);
  for (let i = 0; i < sketch; i++) {
    yield;
    for (let j = i; j < sketch; j++) {
      let sum = 0;
      for (let c = 0; c < cols; c++) sum += b[i][c] * b[j][c];
      gram[i * sketch + j] = sum;
      gram[j * sketch + i] = sum;
    }
  }
  const eigen = yield* symmetricEigenSteps(gram, sketch);
  const order = Array.from({ length: sketch }, (_, i) => i).sort((x, y) => eigen.values[y] - eigen.values[x]);

  const u = new Float64Array(rows * rank);
  const singularValues = new Float64Array(rank);
  for (let k = 0; k < rank; k++) {
    yield;
    const e = order[k];
    singularValues[k] = Math.sqrt(Math.max(eigen.values[e], 0));
    const column = new Float64Array(rows);
    for (let m = 0; m < sketch; m++) {
      const weight = eigen.vectors[m * sketch + e];
      if (weight === 0) continue;
      const qm = q[m];
      for (let r = 0; r < rows; r++) column[r] += qm[r] * weight;
    }
    // Singular vectors are defined up to sign; pin it so the stored model is canonical.
    let pivot = 0;
    for (let r = 1; r < rows; r++) if (Math.abs(column[r]) > Math.abs(column[pivot])) pivot = r;
    const sign = column[pivot] < 0 ? -1 : 1;
    for (let r = 0; r < rows; r++) u[r * rank + k] = sign * column[r];
  }
  return { u, singularValues, rank };
}

function* mapSteps<T, R>(items: T[], work: (item: T) => R): Steps<R[]> {
  const out: R[] = [];
  for (const item of items) {
    yield;
    out.push(work(item));
  }
  return out;
}

function multiply(matrix: DenseMatrix, vector: Float64Array): Float64Array {
  const { rows, cols, data } = matrix;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    const offset = r * cols;
    for (let c = 0; c < cols; c++) sum += data[offset + c] * vector[c];
    out[r] = sum;
  }
  return out;
}

function multiplyTransposed(matrix: DenseMatrix, vector: Float64Array): Float64Array {
  const { rows, cols, data } = matrix;
  const out = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const v = vector[r];
    if (v === 0) continue;
    const offset = r * cols;
    for (let c = 0; c < cols; c++) out[c] += data[offset + c] * v;
  }
  return out;
}

/**
 * Modified Gram–Schmidt, applied twice for stability. Columns that collapse (rank-deficient
 * input) become zero and simply yield zero singular values.
 */
function* orthonormalize(columns: Float64Array[]): Steps<Float64Array[]> {
  const out = columns.map((column) => Float64Array.from(column));
  for (let pass = 0; pass < 2; pass++) {
    for (let k = 0; k < out.length; k++) {
      yield;
      const column = out[k];
      for (let j = 0; j < k; j++) {
        const previous = out[j];
        let projection = 0;
        for (let i = 0; i < column.length; i++) projection += column[i] * previous[i];
        for (let i = 0; i < column.length; i++) column[i] -= projection * previous[i];
      }
      let length = 0;
      for (let i = 0; i < column.length; i++) length += column[i] * column[i];
      length = Math.sqrt(length);
      for (let i = 0; i < column.length; i++) column[i] = length > 1e-10 ? column[i] / length : 0;
    }
  }
  return out;
}

/** Cyclic Jacobi eigen-decomposition of a small symmetric matrix (n × n, row-major). */
export function symmetricEigen(matrix: Float64Array, n: number): { values: Float64Array; vectors: Float64Array } {
  return runToEnd(symmetricEigenSteps(matrix, n));
}

function* symmetricEigenSteps(matrix: Float64Array, n: number): Steps<{ values: Float64Array; vectors: Float64Array }> {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += a[i] * a[i];

  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    if (off <= 1e-24 * scale || off === 0) break;
    for (let p = 0; p < n; p++) {
      yield;
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < n; r++) {
          const arp = a[r * n + p];
          const arq = a[r * n + q];
          a[r * n + p] = c * arp - s * arq;
          a[r * n + q] = s * arp + c * arq;
        }
        for (let r = 0; r < n; r++) {
          const apr = a[p * n + r];
          const aqr = a[q * n + r];
          a[p * n + r] = c * apr - s * aqr;
          a[q * n + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < n; r++) {
          const vrp = v[r * n + p];
          const vrq = v[r * n + q];
          v[r * n + p] = c * vrp - s * vrq;
          v[r * n + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i];
  return { values, vectors: v };
}
