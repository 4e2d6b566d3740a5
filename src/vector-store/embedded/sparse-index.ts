import type { SparseVector } from '../vector-store.port';
import type { RowFilter } from './row-filter';
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
 * index over them. Writes do not touch the posting lists: the rows they change are marked and
 * scored from their own vectors at query time, with document frequencies kept exact as they
 * go, and the lists are rebuilt once the marked rows pass an eighth of the collection. Before,
 * every write marked the whole index stale and the next query rebuilt it, O(collection): a
 * search next to a running import paid ~20 ms at 2,300 recipes, and seconds at 100,000.
 *
 * Scoring mirrors Qdrant's `modifier: idf`: the caller's query weights are multiplied by
 * idf = ln(1 + (N - df + 0.5) / (df + 0.5)), N = points with a sparse vector, df = points
 * containing the term, then dotted with the stored values.
 */
export class SparseIndex {
  private rowsData: Array<SparseRow | null> = [];
  /** Posting lists as of the last rebuild; rows marked in `changed` are skipped in them. */
  private postings = new Map<number, Postings>();
  private changed = new Uint8Array(0);
  private changedRows: number[] = [];
  /**
   * Term → changed rows whose vector had the term when written (a row written twice is listed
   * twice; a row moved or rewritten since may no longer have it): each is checked against the
   * row's current vector at query time. Scoring the changed rows term by term from these lists
   * costs what their postings hold, where looking every query term up in every changed row cost
   * a similar-dishes request ~10 ms with 12,000 rows changed since the last rebuild.
   */
  private deltaPostings = new Map<number, number[]>();
  private deltaEntries = 0;
  /** Per row, the last (query, term) that scored it: a row listed twice under a term counts once. */
  private termStamp = new Int32Array(0);
  private stampBase = 0;
  /** Current document frequencies and N, kept exact on every write. */
  private readonly df = new Map<number, number>();
  private withVector = 0;
  private accumulator = new Float64Array(0);
  /**
   * Per row, for one query: UNSEEN, SKIP (filtered out, or changed since the rebuild and so
   * scored from its own vector) or SCORED. One byte array read per posting, where the loop used
   * to read the changed flags, the mask and a seen flag, and to list the rows it touched: on the
   * 100,000-recipe catalog's sparse vectors, a similar-dishes query (a dish's own ~30 terms,
   * ~340,000 postings) went from 4.9 to 3.1 ms. Setting it up is one pass over the rows.
   */
  private state = new Uint8Array(0);

  get(row: number): SparseRow | null {
    return this.rowsData[row] ?? null;
  }

  write(row: number, vector: SparseRow | null): void {
    const previous = this.rowsData[row] ?? null;
    if (previous) this.count(previous, -1);
    if (vector) this.count(vector, 1);
    this.rowsData[row] = vector;
    this.mark(row);
    if (vector) {
      for (let i = 0; i < vector.indices.length; i++) {
        const list = this.deltaPostings.get(vector.indices[i]);
        if (list) list.push(row);
        else this.deltaPostings.set(vector.indices[i], [row]);
      }
      this.deltaEntries += vector.indices.length;
    }
  }

  move(from: number, to: number): void {
    const vector = this.rowsData[from] ?? null;
    this.write(from, null);
    this.write(to, vector);
  }

  truncate(count: number): void {
    for (let row = count; row < this.rowsData.length; row++) this.write(row, null);
    this.rowsData.length = count;
  }

  /**
   * Builds the posting lists now if enough rows changed that the next query would. A collection
   * loaded whole at start has every row changed: its first sparse query paid the rebuild, 0.5 s
   * at 100,000 recipes, on top of a request.
   */
  settle(count: number): void {
    if (this.changedRows.length > Math.max(REBUILD_MIN_CHANGED, count / 8)) this.rebuild(count);
  }

  /** Scores rows in [0, count) that share at least one term with the query, as Qdrant does. */
  scan(query: SparseVector, count: number, filter: RowFilter | null, threshold: number, selector: TopKSelector): void {
    // Rebuild once an eighth of the rows changed, or once rows rewritten again and again have
    // piled up entries in the delta lists.
    if (this.changedRows.length > Math.max(REBUILD_MIN_CHANGED, count / 8) || this.deltaEntries > Math.max(1 << 16, count * 4))
      this.rebuild(count);
    this.reserve(count);
    const acc = this.accumulator;
    const changed = this.changed;
    const state = this.state;
    if (filter !== null) {
      filter.writeRejected(state, count);
      if (this.changedRows.length > 0) for (let row = 0; row < count; row++) state[row] |= changed[row];
    } else if (this.changedRows.length > 0) state.set(changed.subarray(0, count));
    else state.fill(UNSEEN, 0, count);
    const n = this.withVector;
    const weights = new Float64Array(query.indices.length);
    for (let t = 0; t < query.indices.length; t++) {
      const df = this.df.get(query.indices[t]) ?? 0;
      if (df === 0) continue;
      const weight = query.values[t] * Math.log(1 + (n - df + 0.5) / (df + 0.5));
      weights[t] = weight;
      const postings = this.postings.get(query.indices[t]);
      if (!postings) continue;
      const { rows, values } = postings;
      for (let p = 0; p < rows.length; p++) {
        const row = rows[p];
        if (row >= count || state[row] === SKIP) continue;
        state[row] = SCORED;
        acc[row] += weight * values[p];
      }
    }
    // Rows written since the rebuild, from their current vectors, term by term in query order
    // (the same additions in the same order as through the posting lists).
    if (this.changedRows.length > 0) {
      if (this.termStamp.length < count) this.termStamp = new Int32Array(Math.max(count, 64) * 2);
      if (this.stampBase > 2 ** 30) {
        this.termStamp.fill(0);
        this.stampBase = 0;
      }
      const stamp = this.termStamp;
      const base = this.stampBase + 1;
      this.stampBase += query.indices.length + 1;
      for (let t = 0; t < query.indices.length; t++) {
        if (weights[t] === 0) continue;
        const rows = this.deltaPostings.get(query.indices[t]);
        if (!rows) continue;
        const mark = base + t;
        for (const row of rows) {
          if (row >= count || changed[row] === 0 || stamp[row] === mark || (filter !== null && !filter.test(row))) continue;
          stamp[row] = mark;
          const vector = this.rowsData[row];
          const at = vector ? indexOf(vector.indices, query.indices[t]) : -1;
          if (at < 0) continue;
          state[row] = SCORED;
          acc[row] += weights[t] * vector!.values[at];
        }
      }
    }
    for (let row = 0; row < count; row++) {
      if (state[row] !== SCORED) continue;
      const s = acc[row];
      acc[row] = 0;
      if (s > threshold) selector.offer(row, s);
    }
  }

  private count(vector: SparseRow, delta: 1 | -1): void {
    this.withVector += delta;
    for (let i = 0; i < vector.indices.length; i++) {
      const term = vector.indices[i];
      const df = (this.df.get(term) ?? 0) + delta;
      if (df === 0) this.df.delete(term);
      else this.df.set(term, df);
    }
  }

  private mark(row: number): void {
    if (row >= this.changed.length) {
      const grown = new Uint8Array(Math.max(64, (row + 1) * 2));
      grown.set(this.changed);
      this.changed = grown;
    }
    if (this.changed[row] === 1) return;
    this.changed[row] = 1;
    this.changedRows.push(row);
  }

  private reserve(count: number): void {
    if (this.accumulator.length >= count) return;
    this.accumulator = new Float64Array(count * 2);
    this.state = new Uint8Array(count * 2);
  }

  private rebuild(count: number): void {
    const lists = new Map<number, { rows: number[]; values: number[] }>();
    for (let row = 0; row < count; row++) {
      const vector = this.rowsData[row];
      if (!vector) continue;
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
    for (const row of this.changedRows) this.changed[row] = 0;
    this.changedRows = [];
    this.deltaPostings = new Map();
    this.deltaEntries = 0;
  }
}

/** Row states of one scan (see SparseIndex.state); SKIP is 1 so that a mask's 0 or a changed flag's 1 become it directly. */
const UNSEEN = 0;
const SKIP = 1;
const SCORED = 2;

/** A rebuild waits for at least this many changed rows (small collections rebuild rarely too). */
const REBUILD_MIN_CHANGED = 256;

/** Position of `term` in a row's sorted indices, or -1. */
function indexOf(indices: Uint32Array, term: number): number {
  let lo = 0;
  let hi = indices.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const value = indices[mid];
    if (value === term) return mid;
    if (value < term) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
