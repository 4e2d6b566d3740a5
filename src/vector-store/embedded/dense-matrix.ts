import type { Distance } from '../vector-store.port';
import type { RowFilter } from './row-filter';
import type { TopKSelector } from './top-k-selector';

/**
 * One named dense space: every point's vector in one contiguous row-major Float32Array, so a
 * query is a linear scan over memory with no per-point objects. Rows without this vector
 * (a point may lack an optional space) are flagged absent and skipped.
 */
export class DenseMatrix {
  data: Float32Array;
  present: Uint8Array;

  constructor(
    readonly dim: number,
    readonly distance: Distance,
    capacity: number,
  ) {
    this.data = new Float32Array(dim * capacity);
    this.present = new Uint8Array(capacity);
  }

  grow(capacity: number): void {
    const data = new Float32Array(this.dim * capacity);
    data.set(this.data);
    this.data = data;
    const present = new Uint8Array(capacity);
    present.set(this.present);
    this.present = present;
  }

  /** `vector` is already prepared (normalised for cosine); null marks the row absent. */
  write(row: number, vector: Float32Array | null): void {
    if (vector) this.data.set(vector, row * this.dim);
    else this.data.fill(0, row * this.dim, (row + 1) * this.dim);
    this.present[row] = vector ? 1 : 0;
  }

  /** Swap-remove support: row `to` takes the contents of row `from`. */
  move(from: number, to: number): void {
    this.data.copyWithin(to * this.dim, from * this.dim, (from + 1) * this.dim);
    this.present[to] = this.present[from];
    this.present[from] = 0;
  }

  row(row: number): Float32Array | null {
    return this.present[row] ? this.data.subarray(row * this.dim, (row + 1) * this.dim) : null;
  }

  /** Higher is better for every distance; Euclidean distance is negated. */
  score(row: number, query: Float32Array): number {
    const { data, dim } = this;
    const base = row * dim;
    return this.distance === 'euclid' ? negatedEuclidean(data, base, query, dim) : dot(data, base, query, dim);
  }

  /**
   * The hot loop: scores rows [0, count) allowed by `mask` (null = all) and feeds the selector.
   * Only scores strictly above `threshold` count, as in Qdrant.
   * Kept monomorphic and allocation-free; the distance branch is hoisted out of the row loop.
   */
  scan(query: Float32Array, count: number, mask: Uint8Array | null, threshold: number, selector: TopKSelector): void {
    const { data, dim, present } = this;
    const euclid = this.distance === 'euclid';
    for (let row = 0, base = 0; row < count; row++, base += dim) {
      if (present[row] === 0 || (mask !== null && mask[row] === 0)) continue;
      const s = euclid ? negatedEuclidean(data, base, query, dim) : dot(data, base, query, dim);
      if (s <= threshold || s < selector.floor) continue;
      selector.offer(row, s);
    }
  }

  /**
   * `scan` over the first `count` row numbers in `rows` (one inverted list) instead of a range.
   * The filter is tested per row as it comes. Returns how many rows passed it and were scored.
   */
  scanRows(
    query: Float32Array,
    rows: Int32Array,
    count: number,
    filter: RowFilter | null,
    threshold: number,
    selector: TopKSelector,
  ): number {
    const { data, dim, present } = this;
    const euclid = this.distance === 'euclid';
    let scored = 0;
    for (let i = 0; i < count; i++) {
      const row = rows[i];
      if (present[row] === 0 || (filter !== null && !filter.test(row))) continue;
      scored++;
      const base = row * dim;
      const s = euclid ? negatedEuclidean(data, base, query, dim) : dot(data, base, query, dim);
      if (s <= threshold || s < selector.floor) continue;
      selector.offer(row, s);
    }
    return scored;
  }
}

/**
 * Dot product of `query` with the row at `base`. Four independent accumulators let the CPU
 * overlap the multiply-adds: a scan of 1,321 × 192-d rows drops from about 0.35 to 0.2 ms.
 */
export function dot(data: Float32Array, base: number, query: Float32Array, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let j = 0;
  for (; j + 3 < dim; j += 4) {
    const b = base + j;
    s0 += data[b] * query[j];
    s1 += data[b + 1] * query[j + 1];
    s2 += data[b + 2] * query[j + 2];
    s3 += data[b + 3] * query[j + 3];
  }
  for (; j < dim; j++) s0 += data[base + j] * query[j];
  return s0 + s1 + s2 + s3;
}

/** Euclidean distance of `query` to the row at `base`, negated so that higher is better. */
export function negatedEuclidean(data: Float32Array, base: number, query: Float32Array, dim: number): number {
  let s = 0;
  for (let j = 0; j < dim; j++) {
    const d = data[base + j] - query[j];
    s += d * d;
  }
  return -Math.sqrt(s);
}

/** Copies into float32 and, for cosine, scales to unit length so scoring is a dot product. */
export function prepareVector(vector: ArrayLike<number>, distance: Distance): Float32Array {
  const out = Float32Array.from(vector);
  if (distance === 'cosine') normaliseInPlace(out);
  return out;
}

export function normaliseInPlace(vector: Float32Array): void {
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i] * vector[i];
  if (norm === 0) return;
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i] *= inv;
}
