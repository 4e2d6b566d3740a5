import type { SparseRow } from './sparse-index';

/**
 * Every row's sparse vector (sorted term indices and their values) in two arrays shared by all
 * rows, addressed by a start and a length per row. A typed array per row costs an object and an
 * ArrayBuffer with its own native allocation, several times the few dozen terms it holds: at
 * 101,331 points the rows held 43 MiB as one buffer each (heap snapshot), and the points a
 * retrain or an import wrote held two each. Packed, a row costs its terms and two integers.
 *
 * A rewritten or deleted row leaves its old terms behind as garbage, dropped when the arrays are
 * next reallocated (see reserveSlots).
 */
export class SparseRows {
  /** Where each row's terms begin in `indices` / `values`; -1 for a row without a vector. */
  private starts = new Int32Array(0);
  private lengths = new Int32Array(0);
  private termIndices = new Uint32Array(0);
  private termValues = new Float32Array(0);
  /** First unused slot of the shared arrays. */
  private top = 0;
  /** Slots held by current rows (the rest below `top` is garbage). */
  private live = 0;
  private rowCount = 0;

  /** Rows tracked: one past the highest row ever set and not truncated. */
  get size(): number {
    return this.rowCount;
  }

  /** The shared term indices; a row's are `[start(row), start(row) + length(row))`. Replaced when the arrays grow. */
  get indices(): Uint32Array {
    return this.termIndices;
  }

  /** The shared values, parallel to `indices`. */
  get values(): Float32Array {
    return this.termValues;
  }

  /** Slots the shared arrays hold, garbage included (for tests and accounting). */
  get capacity(): number {
    return this.termIndices.length;
  }

  /** -1 when the row has no vector. */
  start(row: number): number {
    return row < this.rowCount ? this.starts[row] : -1;
  }

  length(row: number): number {
    return row < this.rowCount && this.starts[row] >= 0 ? this.lengths[row] : 0;
  }

  /** A copy of the row's vector, or null. */
  get(row: number): SparseRow | null {
    const start = this.start(row);
    if (start < 0) return null;
    const end = start + this.lengths[row];
    return { indices: this.termIndices.slice(start, end), values: this.termValues.slice(start, end) };
  }

  /** Position of `term` among the row's terms, as a slot of the shared arrays, or -1. */
  find(row: number, term: number): number {
    const start = this.start(row);
    if (start < 0) return -1;
    const indices = this.termIndices;
    let lo = start;
    let hi = start + this.lengths[row] - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const value = indices[mid];
      if (value === term) return mid;
      if (value < term) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  set(row: number, vector: SparseRow | null): void {
    this.reserveRows(row + 1);
    this.release(row);
    if (vector === null) return;
    const n = vector.indices.length;
    this.reserveSlots(n);
    this.termIndices.set(vector.indices, this.top);
    this.termValues.set(vector.values, this.top);
    this.starts[row] = this.top;
    this.lengths[row] = n;
    this.top += n;
    this.live += n;
  }

  /** Drops every row from `count` on. */
  truncate(count: number): void {
    for (let row = count; row < this.rowCount; row++) this.release(row);
    this.rowCount = Math.min(this.rowCount, count);
  }

  private release(row: number): void {
    if (this.starts[row] >= 0) this.live -= this.lengths[row];
    this.starts[row] = -1;
    this.lengths[row] = 0;
  }

  private reserveRows(count: number): void {
    if (count > this.starts.length) {
      const capacity = Math.max(64, count, Math.ceil(this.starts.length * GROWTH));
      const starts = new Int32Array(capacity).fill(-1);
      starts.set(this.starts.subarray(0, this.rowCount));
      const lengths = new Int32Array(capacity);
      lengths.set(this.lengths.subarray(0, this.rowCount));
      this.starts = starts;
      this.lengths = lengths;
    }
    // Rows past rowCount already read -1: filled so when grown, released when truncated.
    this.rowCount = Math.max(this.rowCount, count);
  }

  /**
   * Room for `n` more slots at `top`. When full, the arrays are reallocated at a quarter more
   * than the current rows and the new one need, rows copied in row order: garbage is dropped at
   * every reallocation, so rewrites never make the arrays grow past that.
   */
  private reserveSlots(n: number): void {
    if (this.top + n <= this.termIndices.length) return;
    const capacity = Math.max(256, Math.ceil((this.live + n) * GROWTH));
    const indices = new Uint32Array(capacity);
    const values = new Float32Array(capacity);
    let top = 0;
    for (let row = 0; row < this.rowCount; row++) {
      const start = this.starts[row];
      if (start < 0) continue;
      // Term by term: two subarray views per row cost more than the copy at 100,000 rows.
      const end = start + this.lengths[row];
      this.starts[row] = top;
      for (let i = start; i < end; i++, top++) {
        indices[top] = this.termIndices[i];
        values[top] = this.termValues[i];
      }
    }
    this.termIndices = indices;
    this.termValues = values;
    this.top = top;
  }
}

/** How much the arrays grow by when they must: a quarter, so a large catalog's slack stays small. */
const GROWTH = 1.25;
