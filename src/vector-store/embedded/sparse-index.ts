import type { SparseVector } from '../vector-store.port';
import type { TopKSelector } from './top-k-selector';

export interface SparseRow {
  indices: Uint32Array;
  values: Float32Array;
}

interface Postings {
  rows: Int32Array;
  values: Float32Array;
}

/**
 * Sparse ("terms") vectors: per-row sorted (indices, values) as the source, plus an inverted
 * index built from them on demand. Writes only mark the index stale: reindexing writes in bulk
 * and queries read often, so one rebuild per batch beats patching posting lists per point.
 *
 * Scoring mirrors Qdrant's `modifier: idf`: the caller's query weights are multiplied by
 * idf = ln(1 + (N - df + 0.5) / (df + 0.5)), N = points with a sparse vector, df = points
 * containing the term, then dotted with the stored values.
 */
export class SparseIndex {
  private rowsData: Array<SparseRow | null> = [];
  private postings = new Map<number, Postings>();
  private withVector = 0;
  private stale = true;
  private accumulator = new Float64Array(0);
  private touched = new Int32Array(0);
  private seen = new Uint8Array(0);

  get(row: number): SparseRow | null {
    return this.rowsData[row] ?? null;
  }

  write(row: number, vector: SparseRow | null): void {
    this.rowsData[row] = vector;
    this.stale = true;
  }

  move(from: number, to: number): void {
    this.rowsData[to] = this.rowsData[from];
    this.rowsData[from] = null;
    this.stale = true;
  }

  truncate(count: number): void {
    this.rowsData.length = count;
    this.stale = true;
  }

  /** Scores rows in [0, count) that share at least one term with the query, as Qdrant does. */
  scan(query: SparseVector, count: number, mask: Uint8Array | null, threshold: number, selector: TopKSelector): void {
    if (this.stale) this.rebuild(count);
    const acc = this.accumulator;
    const seen = this.seen;
    const touched = this.touched;
    const n = this.withVector;
    let touchedCount = 0;
    for (let t = 0; t < query.indices.length; t++) {
      const postings = this.postings.get(query.indices[t]);
      if (!postings) continue;
      const df = postings.rows.length;
      const weight = query.values[t] * Math.log(1 + (n - df + 0.5) / (df + 0.5));
      const { rows, values } = postings;
      for (let p = 0; p < rows.length; p++) {
        const row = rows[p];
        if (mask !== null && mask[row] === 0) continue;
        if (seen[row] === 0) {
          seen[row] = 1;
          touched[touchedCount++] = row;
        }
        acc[row] += weight * values[p];
      }
    }
    for (let i = 0; i < touchedCount; i++) {
      const row = touched[i];
      const s = acc[row];
      acc[row] = 0;
      seen[row] = 0;
      if (s > threshold) selector.offer(row, s);
    }
  }

  private rebuild(count: number): void {
    const lists = new Map<number, { rows: number[]; values: number[] }>();
    let withVector = 0;
    for (let row = 0; row < count; row++) {
      const vector = this.rowsData[row];
      if (!vector) continue;
      withVector++;
      for (let i = 0; i < vector.indices.length; i++) {
        let list = lists.get(vector.indices[i]);
        if (!list) lists.set(vector.indices[i], (list = { rows: [], values: [] }));
        list.rows.push(row);
        list.values.push(vector.values[i]);
      }
    }
    this.postings = new Map();
    for (const [term, list] of lists) {
      this.postings.set(term, { rows: Int32Array.from(list.rows), values: Float32Array.from(list.values) });
    }
    this.withVector = withVector;
    if (this.accumulator.length < count) {
      this.accumulator = new Float64Array(count * 2);
      this.touched = new Int32Array(count * 2);
      this.seen = new Uint8Array(count * 2);
    }
    this.stale = false;
  }
}
