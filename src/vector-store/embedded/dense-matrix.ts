import { createHash } from 'node:crypto';
import type { Distance } from '../vector-store.port';
import { dot, dotRun, dotRunOf, int8DotRun } from './dot-kernel';
import type { Int8Query } from './int8-codes';
import type { RowFilter } from './row-filter';
import type { TopKSelector } from './top-k-selector';
import { resized, type VectorBlock } from './vector-blocks';

/**
 * One named dense space: every distinct vector once, in one contiguous Float32Array indexed by
 * vector key, and per row the key of its vector, so a query is a scan over memory with no
 * per-point objects. Rows without this vector (a point may lack an optional space) are flagged
 * absent and skipped.
 *
 * Rows with byte-identical vectors share a key (`keys`), and a scan scores each key once. Dishes
 * described by the same categorical properties have the same properties vector, and dishes with
 * the same ingredient list the same ingredients vector: in the 100,000-recipe scale catalog the
 * properties space holds 7,246 distinct vectors over 101,326 rows and the ingredients space
 * 50,151, with groups of up to 2,771 identical rows, all in one partition, which every query
 * probing it scored row by row. Identical vectors give bit-identical scores, so sharing them
 * changes no result.
 *
 * Why vectors are stored by key and not by row: a heap snapshot of the service restarted on that
 * catalog held 185.5 MiB in the two spaces' row-major arrays (a row's vector per row, at the
 * doubled row capacity), most of it copies of the same vectors. By key the two spaces need
 * about 57,000 × 192 floats. A row's vector is then one indirection away (`offsetOf`); moving a
 * row (swap-remove) moves its key, not its floats.
 */
export class DenseMatrix {
  /** Vector `key` is `data[key * dim .. (key + 1) * dim)`; see `offsetOf` for a row's. */
  data: Float32Array;
  present: Uint8Array;
  /** The row's vector key (rows with identical vectors share one); -1 when absent. */
  keys: Int32Array;
  private readonly keyOf = new Map<string, number>();
  private readonly keyDigests: string[] = [];
  private keyRefs = new Int32Array(64);
  /** Bumped whenever a key is freed for reuse, so caches keyed by key can tell it changed. */
  keyGeneration = new Uint32Array(64);
  private freeKeys: number[] = [];
  private nextKey = 0;
  /** Per-scan memo of a key's score: valid where `memoStamp[key] === stamp`. */
  private memoScore = new Float64Array(64);
  private memoStamp = new Uint32Array(64);
  private stamp = 0;
  /** scoreRows' distinct keys. */
  private distinctKeys = new Int32Array(256);

  constructor(
    readonly dim: number,
    readonly distance: Distance,
    capacity: number,
  ) {
    this.data = new Float32Array(dim * 64);
    this.present = new Uint8Array(capacity);
    this.keys = new Int32Array(capacity).fill(-1);
  }

  /** Distinct vectors currently held. */
  get distinct(): number {
    return this.keyOf.size;
  }

  /** Room for `capacity` rows; room for vectors grows with the distinct vectors written. */
  grow(capacity: number): void {
    const present = new Uint8Array(capacity);
    present.set(this.present);
    this.present = present;
    const keys = new Int32Array(capacity).fill(-1);
    keys.set(this.keys);
    this.keys = keys;
  }

  /** `vector` is already prepared (normalised for cosine); null marks the row absent. */
  write(row: number, vector: Float32Array | null): void {
    this.release(row);
    this.present[row] = vector ? 1 : 0;
    if (vector) this.keys[row] = this.acquire(vector);
  }

  /** Where row `row`'s vector starts in `data` (the row must be present). */
  offsetOf(row: number): number {
    return this.keys[row] * this.dim;
  }

  /** Swap-remove support: row `to` takes the contents of row `from` (whose old contents are gone). */
  move(from: number, to: number): void {
    this.release(to);
    this.present[to] = this.present[from];
    this.present[from] = 0;
    this.keys[to] = this.keys[from];
    this.keys[from] = -1;
  }

  row(row: number): Float32Array | null {
    if (!this.present[row]) return null;
    const offset = this.offsetOf(row);
    return this.data.subarray(offset, offset + this.dim);
  }

  /** Higher is better for every distance; Euclidean distance is negated. */
  score(row: number, query: Float32Array): number {
    const { data, dim } = this;
    const base = this.offsetOf(row);
    return this.distance === 'euclid' ? negatedEuclidean(data, base, query, dim) : dot(data, base, query, dim);
  }

  /**
   * Exact scores of the first `count` rows of `rows` (each present) into `out`, as `score` gives
   * them: each distinct vector once, and for dot products in one run of the SIMD kernel. This
   * rescores a partitioned search's candidates (IvfIndex.search): 160 of them for a search's
   * 128, scattered over the matrix. With 256 of them scored one `dot` at a time, a query at
   * k = 128 took 0.63–0.66 ms against 0.43–0.48 ms with float32 blocks (the store bench at
   * 100,000 recipes).
   */
  scoreRows(query: Float32Array, rows: Int32Array, count: number, out: Float64Array): void {
    const { data, dim, keys } = this;
    if (this.distance === 'euclid') {
      for (let i = 0; i < count; i++) out[i] = negatedEuclidean(data, keys[rows[i]] * dim, query, dim);
      return;
    }
    this.scoreDistinct(query, rows, count, null, null, this.nextStamp());
    const { memoScore } = this;
    for (let i = 0; i < count; i++) out[i] = memoScore[keys[rows[i]]];
  }

  /**
   * The hot loop: scores rows [0, count) allowed by `mask` (null = all) and feeds the selector.
   * Only scores strictly above `threshold` count, as in Qdrant.
   * Kept monomorphic and allocation-free; the distance branch is hoisted out of the row loop.
   */
  scan(query: Float32Array, count: number, mask: Uint8Array | null, threshold: number, selector: TopKSelector): void {
    const { data, dim, present, keys } = this;
    const euclid = this.distance === 'euclid';
    const stamp = this.nextStamp();
    const { memoScore, memoStamp } = this;
    if (mask === null && !euclid) {
      // Every row is read: each distinct vector (they lie side by side, by key) is scored once,
      // in one run of the SIMD kernel. Keys freed for reuse are scored too, and never read.
      const scores = dotRun(data, this.nextKey, dim, query);
      for (let key = 0; key < this.nextKey; key++) {
        memoScore[key] = scores[key];
        memoStamp[key] = stamp;
      }
    }
    for (let row = 0; row < count; row++) {
      if (present[row] === 0 || (mask !== null && mask[row] === 0)) continue;
      const key = keys[row];
      let s: number;
      if (memoStamp[key] === stamp) {
        s = memoScore[key];
      } else {
        const base = key * dim;
        s = euclid ? negatedEuclidean(data, base, query, dim) : dot(data, base, query, dim);
        memoScore[key] = s;
        memoStamp[key] = stamp;
      }
      if (s <= threshold || s < selector.floor) continue;
      selector.offer(row, s);
    }
  }

  /**
   * `scan` over the first `count` row numbers in `rows` (one inverted list) instead of a range.
   * The filter is tested per row as it comes. Returns how many rows passed it and were scored.
   * With the list's `block` of distinct vectors (int8 codes) and the query made ready for them
   * (`blockQuery`), those are scored first, in one contiguous pass by the SIMD kernel, and the
   * rows then read their key's score: an approximate one (see Int8Codes), which the caller
   * rescores from the matrix. A row whose key is not in the block (there is none by
   * construction, but nothing depends on it) is scored from the matrix.
   * `rowKeys`, when given, holds each listed row's vector key (an inverted list keeps them beside
   * its rows, for rows that are all present, each key in the list's block): the loop then reads
   * nothing indexed by row but the filter, and a list whose best vector cannot enter the
   * selector is not walked at all. On the restarted 100,000-recipe bench catalog this loop was
   * 10% of a search's CPU, at ~54 ns a row for two reads that missed the cache.
   */
  scanRows(
    query: Float32Array,
    rows: Int32Array,
    count: number,
    filter: RowFilter | null,
    threshold: number,
    selector: TopKSelector,
    block: VectorBlock | null = null,
    blockQuery: Int8Query | null = null,
    rowKeys: Int32Array | null = null,
  ): number {
    const { data, dim, present, keys } = this;
    const euclid = this.distance === 'euclid';
    const stamp = this.nextStamp();
    const { memoScore, memoStamp } = this;
    let best = -Infinity;
    if (block !== null && blockQuery !== null) {
      const { keys: blockKeys, codes, squaredNorms, size } = block;
      const { values, scale, shift, squaredNorm } = blockQuery;
      const products = int8DotRun(codes, size, values.length, values);
      for (let i = 0; i < size; i++) {
        const key = blockKeys[i];
        const product = products[i] * scale + shift;
        // ‖x − q‖² = ‖x‖² − 2 x·q + ‖q‖², with the lengths exact and the product approximate.
        const s = euclid ? -Math.sqrt(Math.max(0, squaredNorms[i] - 2 * product + squaredNorm)) : product;
        memoScore[key] = s;
        memoStamp[key] = stamp;
        if (s > best) best = s;
      }
      // No vector of the list can enter the selector: only count the rows that pass the filter.
      if (rowKeys !== null && (best <= threshold || best < selector.floor)) return filter === null ? count : passing(filter, rows, count);
    } else if (!euclid) {
      // Without a block, the distinct vectors of the rows that pass are scored first in one run
      // of the SIMD kernel (bit-identical to `dot`), as scoreRows does, not one `dot` a row.
      this.scoreDistinct(query, rows, count, filter, rowKeys, stamp);
    }
    let scored = 0;
    for (let i = 0; i < count; i++) {
      const row = rows[i];
      if (rowKeys === null && present[row] === 0) continue;
      if (filter !== null && !filter.test(row)) continue;
      scored++;
      const key = rowKeys !== null ? rowKeys[i] : keys[row];
      let s: number;
      if (memoStamp[key] === stamp) {
        s = memoScore[key];
      } else {
        const base = key * dim;
        s = euclid ? negatedEuclidean(data, base, query, dim) : dot(data, base, query, dim);
        memoScore[key] = s;
        memoStamp[key] = stamp;
      }
      if (s <= threshold || s < selector.floor) continue;
      selector.offer(row, s);
    }
    return scored;
  }

  /**
   * Memoises the scores of the distinct vectors of the first `count` rows of `rows` that are
   * present and pass `filter`, in one run of the dot-product kernel, under `stamp`.
   */
  private scoreDistinct(
    query: Float32Array,
    rows: Int32Array,
    count: number,
    filter: RowFilter | null,
    rowKeys: Int32Array | null,
    stamp: number,
  ): void {
    const { data, dim, present, keys, memoScore, memoStamp } = this;
    if (this.distinctKeys.length < count) this.distinctKeys = new Int32Array(count * 2);
    const distinctKeys = this.distinctKeys;
    let n = 0;
    for (let i = 0; i < count; i++) {
      const row = rows[i];
      if ((rowKeys === null && present[row] === 0) || (filter !== null && !filter.test(row))) continue;
      const key = rowKeys !== null ? rowKeys[i] : keys[row];
      if (memoStamp[key] === stamp) continue;
      memoStamp[key] = stamp;
      distinctKeys[n++] = key;
    }
    const scores = dotRunOf(data, distinctKeys, n, dim, query);
    for (let j = 0; j < n; j++) memoScore[distinctKeys[j]] = scores[j];
  }

  /**
   * A fresh memo for one scan. Identical vectors always share a partition (the same nearest
   * centroid), so a memo per list loses nothing.
   */
  private nextStamp(): number {
    if (this.stamp === 0xffff_ffff) {
      this.memoStamp.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }

  /**
   * The key of `vector`, stored under a new key if no row holds the same bytes: an MD5 digest of
   * its bytes names it (about a microsecond per write; a collision between two different
   * prepared vectors is not a practical concern for a non-cryptographic use like this one).
   */
  private acquire(vector: Float32Array): number {
    const bytes = Buffer.from(vector.buffer, vector.byteOffset, this.dim * 4);
    const digest = createHash('md5').update(bytes).digest('base64');
    let key = this.keyOf.get(digest);
    if (key === undefined) {
      key = this.freeKeys.pop() ?? this.nextKey++;
      if (key >= this.keyRefs.length) this.growKeys(key + 1);
      this.data.set(vector.subarray(0, this.dim), key * this.dim);
      this.keyOf.set(digest, key);
      this.keyDigests[key] = digest;
    }
    this.keyRefs[key]++;
    return key;
  }

  private release(row: number): void {
    const key = this.keys[row];
    if (key < 0) return;
    this.keys[row] = -1;
    if (--this.keyRefs[key] > 0) return;
    this.keyOf.delete(this.keyDigests[key]);
    this.keyDigests[key] = '';
    this.keyGeneration[key]++;
    this.freeKeys.push(key);
  }

  /** By half again, not double: the vectors grow with the keys, and doubling left up to half of them empty. */
  private growKeys(min: number): void {
    const size = Math.max(min, Math.ceil(this.keyRefs.length * 1.5));
    this.data = resized(this.data, size * this.dim);
    this.keyRefs = resized(this.keyRefs, size);
    this.keyGeneration = resized(this.keyGeneration, size);
    // Never called during a scan, so the memo can start empty.
    this.memoScore = new Float64Array(size);
    this.memoStamp = new Uint32Array(size);
  }
}

/** How many of the first `count` rows in `rows` pass `filter`. */
function passing(filter: RowFilter, rows: Int32Array, count: number): number {
  let n = 0;
  for (let i = 0; i < count; i++) if (filter.test(rows[i])) n++;
  return n;
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
