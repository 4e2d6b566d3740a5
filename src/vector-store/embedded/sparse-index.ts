import type { SparseVector } from '../vector-store.port';
import type { RowFilter } from './row-filter';
import { SparseRows } from './sparse-rows';
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
 * Sparse ("terms") vectors: per-row sorted (indices, values) as the source (packed, see
 * SparseRows), plus an inverted index over them. Writes do not touch the posting lists: the
 * rows they change are marked and scored from their own vectors at query time, with document
 * frequencies kept exact as they go, and the lists are rebuilt once the marked rows pass an
 * eighth of the collection. Before,
 * every write marked the whole index stale and the next query rebuilt it, O(collection): a
 * search next to a running import paid ~20 ms at 2,300 recipes, and seconds at 100,000.
 *
 * Scoring mirrors Qdrant's `modifier: idf`: the caller's query weights are multiplied by
 * idf = ln(1 + (N - df + 0.5) / (df + 0.5)), N = points with a sparse vector, df = points
 * containing the term, then dotted with the stored values.
 */
export class SparseIndex {
  private readonly rows = new SparseRows();
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
  /**
   * Per row, its partial score in the current scan. Only rows the scan has met hold one: the
   * first part sets it and later parts add to it, so nothing has to clear the rows met after a
   * scan (a pass over ~233,000 of them for a similar-dishes query at 1,000,000 recipes).
   */
  private accumulator = new Float64Array(0);
  /**
   * Per row, for one query: UNSEEN, SKIP (filtered out, or changed since the rebuild and so
   * scored from its own vector) or SCORED. One byte array read per posting, where the loop used
   * to read the changed flags, the mask and a seen flag, and to list the rows it touched: on the
   * 100,000-recipe catalog's sparse vectors, a similar-dishes query (a dish's own ~30 terms,
   * ~340,000 postings) went from 4.9 to 3.1 ms. Setting it up is a fill of the rows' bytes; a
   * row the filter rejects is marked SKIP when a list first meets it.
   */
  private state = new Uint8Array(0);
  /** Rows one scan scored, in the order it met them. */
  private touched = new Int32Array(0);
  /** The rows still in reach at a check where the scan may stop (see scan). */
  private survivorRows = new Int32Array(0);
  /** Per term, at least the largest value stored for it (exact after a rebuild, raised by writes). */
  private maxValue = new Map<number, number>();
  /** Stored values below zero: while there are any, scans read every list (bounds assume none). */
  private negativeValues = 0;

  /** Rows written since the posting lists were last built (scored from their own vectors meanwhile). */
  get pendingRows(): number {
    return this.changedRows.length;
  }

  /** A copy of the row's vector, or null. */
  get(row: number): SparseRow | null {
    return this.rows.get(row);
  }

  write(row: number, vector: SparseRow | null): void {
    const start = this.rows.start(row);
    if (start >= 0) this.count(this.rows.indices, this.rows.values, start, start + this.rows.length(row), -1);
    if (vector) this.count(vector.indices, vector.values, 0, vector.indices.length, 1);
    this.rows.set(row, vector);
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
    const vector = this.rows.get(from);
    this.write(from, null);
    this.write(to, vector);
  }

  truncate(count: number): void {
    for (let row = count; row < this.rows.size; row++) this.write(row, null);
    this.rows.truncate(count);
  }

  /**
   * Builds the posting lists now if enough rows changed that the next query would. A collection
   * loaded whole at start has every row changed: its first sparse query paid the rebuild, 0.5 s
   * at 100,000 recipes, on top of a request.
   */
  settle(count: number): void {
    if (this.changedRows.length > Math.max(REBUILD_MIN_CHANGED, count / 8)) this.rebuild(count);
  }

  /**
   * Scores rows in [0, count) that share at least one term with the query, as Qdrant does, and
   * offers them to `selector` (reset to k by the caller).
   *
   * Terms are taken in decreasing order of the most they can add to a score (weight × the
   * largest value stored for the term). Before each long list, once k rows have partial
   * scores, the k-th best partial score θ bounds the final k-th best from below; when what the
   * remaining terms can add at most is below θ, no row they alone would bring in can make the
   * top k, so their lists are not read (MaxScore, Turtle & Flood 1995). The rows whose partial
   * score plus that bound still reaches θ get their exact score from their own vectors, in query
   * order as the lists would have added it, so results are identical to the full scan. On the
   * 100,000-recipe catalog's sparse vectors, 81% of a similar-dishes query's ~330,000 postings
   * are terms in more than 30% of the recipes, whose idf adds little. When the rows still in
   * reach are too many to complete by lookup, the remaining lists are read for them alone (see
   * `closed`), and a one-term query is ranked straight from its list. Only with no negative
   * weight or stored value (bounds need them). Returns how many of the query's terms' lists
   * were left unread.
   *
   * On the 45 queries of the search mix, replayed in process against the restarted 100k bench
   * catalog's sparse vectors with their filters, those two cut the mean from 258–284 to
   * 184–223 µs a query, every top k unchanged.
   */
  scan(query: SparseVector, count: number, filter: RowFilter | null, threshold: number, selector: TopKSelector): number {
    // Rebuild once an eighth of the rows changed, or once rows rewritten again and again have
    // piled up entries in the delta lists.
    if (this.changedRows.length > Math.max(REBUILD_MIN_CHANGED, count / 8) || this.deltaEntries > Math.max(1 << 16, count * 4))
      this.rebuild(count);
    const n = this.withVector;
    const terms = query.indices.length;
    const weights = new Float64Array(terms);
    const bounds = new Float64Array(terms);
    let prunable = this.negativeValues === 0;
    const order: number[] = [];
    for (let t = 0; t < terms; t++) {
      const df = this.df.get(query.indices[t]) ?? 0;
      if (df === 0) continue;
      weights[t] = query.values[t] * Math.log(1 + (n - df + 0.5) / (df + 0.5));
      if (weights[t] < 0) prunable = false;
      bounds[t] = weights[t] * (this.maxValue.get(query.indices[t]) ?? 0);
      order.push(t);
    }
    // One term and no rows written since the rebuild: a row's score is its one posting's part,
    // so the list is ranked as it is read, with no partial scores to keep.
    if (order.length === 1 && this.changedRows.length === 0) {
      this.rankList(this.postings.get(query.indices[order[0]]), weights[order[0]], count, filter, threshold, selector);
      return 0;
    }
    this.reserve(count);
    const acc = this.accumulator;
    const changed = this.changed;
    const state = this.state;
    // The filter is read when a list first meets a row, not expanded over every row here: at
    // 1,000,000 rows that expansion (a byte per row, written a word of the filter at a time) was
    // 4.2% of a search's CPU.
    state.fill(UNSEEN, 0, count);
    for (const row of this.changedRows) if (row < count) state[row] = SKIP;
    order.sort((a, b) => bounds[b] - bounds[a] || a - b);
    // rest[j]: the most the terms from order[j] on can add to any score.
    const rest = new Float64Array(order.length + 1);
    for (let j = order.length - 1; j >= 0; j--) rest[j] = rest[j + 1] + bounds[order[j]];

    if (this.touched.length < count) this.touched = new Int32Array(Math.max(count, 64) * 2);
    const touched = this.touched;
    let seen = 0;
    const k = selector.capacity;
    let stop = order.length;
    let theta = -Infinity;
    let checks = 0;
    let survivorCount = 0;
    // Set once the terms left cannot bring a row the scan has not met into the top k: from then
    // on the lists only add to the rows still in reach (see the check below).
    let closed = false;
    const lengths = order.map((t) => {
      const term = query.indices[t];
      return (this.postings.get(term)?.rows.length ?? 0) + (this.changedRows.length > 0 ? (this.deltaPostings.get(term)?.length ?? 0) : 0);
    });
    const unreadPostings = new Float64Array(order.length + 1);
    for (let j = order.length - 1; j >= 0; j--) unreadPostings[j] = unreadPostings[j + 1] + lengths[j];
    for (let j = 0; j < order.length; j++) {
      const t = order[j];
      const term = query.indices[t];
      const postings = this.postings.get(term);
      const delta = this.changedRows.length > 0 ? this.deltaPostings.get(term) : undefined;
      if (
        prunable &&
        k > 0 &&
        seen >= k &&
        // A check before a list at least CHECK_RATIO times the rows met costs less than reading
        // it, so only the checks before long lists count against MAX_CHECKS.
        (lengths[j] >= CHECK_RATIO * seen || (lengths[j] >= count / LONG_LIST_SHARE && checks++ < MAX_CHECKS))
      ) {
        const candidateTheta = kthBest(acc, touched, seen, k, selector);
        const floor = withMargin(candidateTheta);
        if (rest[j] < floor) {
          // Stop when completing the rows that can still make it (a lookup per unread term
          // each, about LOOKUP_COST postings' worth) costs less than reading the lists.
          // They are listed as they are counted: when the scan stops here, completing them is
          // all that is left, and no second pass over the rows met is needed.
          if (this.survivorRows.length < seen) this.survivorRows = new Int32Array(touched.length);
          const listed = this.survivorRows;
          let survivors = 0;
          for (let i = 0; i < seen; i++) if (acc[touched[i]] + rest[j] >= floor) listed[survivors++] = touched[i];
          if (survivors * (order.length - j) * LOOKUP_COST < unreadPostings[j]) {
            theta = candidateTheta;
            stop = j;
            survivorCount = survivors;
            break;
          }
          // Too many rows in reach to complete them by lookup: the lists are read, but only for
          // them. A row not met yet can score at most rest[j], and a row met whose partial score
          // plus rest[j] falls short of θ cannot reach it either (scores only grow), so both are
          // left out from here on: the rest of a list is a read of its rows' states, and the
          // rows to rank at the end are those in reach, not every row any list held.
          closed = true;
          touched.set(listed.subarray(0, survivors));
          seen = survivors;
        }
      }
      const weight = weights[t];
      if (postings && closed) {
        const { rows, values } = postings;
        for (let p = 0; p < rows.length; p++) {
          const row = rows[p];
          if (row < count && state[row] === SCORED) acc[row] += weight * values[p];
        }
      } else if (postings) {
        const { rows, values } = postings;
        for (let p = 0; p < rows.length; p++) {
          const row = rows[p];
          if (row >= count) continue;
          const rowState = state[row];
          if (rowState === UNSEEN) {
            if (filter !== null && !filter.test(row)) {
              state[row] = SKIP;
              continue;
            }
            state[row] = SCORED;
            touched[seen++] = row;
            acc[row] = weight * values[p];
          } else if (rowState === SCORED) acc[row] += weight * values[p];
        }
      }
      // Rows written since the rebuild, from their current vectors (a row is listed under a
      // term once per write that had it; the stamp counts it once per term).
      if (delta) {
        if (this.termStamp.length < count) this.termStamp = new Int32Array(Math.max(count, 64) * 2);
        if (this.stampBase > 2 ** 30) {
          this.termStamp.fill(0);
          this.stampBase = 0;
        }
        const mark = ++this.stampBase;
        const stamp = this.termStamp;
        for (const row of delta) {
          if (row >= count || changed[row] === 0 || stamp[row] === mark || (filter !== null && !filter.test(row))) continue;
          stamp[row] = mark;
          const at = this.rows.find(row, term);
          if (at < 0) continue;
          if (state[row] !== CHANGED_SCORED) {
            if (closed) continue;
            state[row] = CHANGED_SCORED;
            touched[seen++] = row;
            acc[row] = weight * this.rows.values[at];
          } else acc[row] += weight * this.rows.values[at];
        }
      }
    }

    // A score is the sum of the terms' parts in query order, as a full scan adds them. Unless
    // the lists were read in that order, only the rows that can make the top k are recomputed
    // that way: the rows whose partial score plus what the unread terms can add reaches θ get
    // those terms added by lookup, and the ones then within rounding of the k-th best are
    // summed again in query order.
    const inQueryOrder = stop === order.length && order.every((t, j) => j === 0 || order[j - 1] < t);
    selector.reset(k);
    if (inQueryOrder) {
      // The selector's floor only moves when it takes a row (a getter per row read was 3% of a
      // search's CPU at 1,000,000 rows, with the one-term loop's below).
      let floor = selector.floor;
      for (let i = 0; i < seen; i++) {
        const row = touched[i];
        const score = acc[row];
        if (score > threshold && score >= floor) {
          selector.offer(row, score);
          floor = selector.floor;
        }
      }
      return 0;
    }
    const unread = order.slice(stop);
    const floor = withMargin(theta);
    const bound = rest[stop];
    // After a stop, the rows listed at its check are those in reach; else every row met is looked at.
    const stopped = stop < order.length;
    const candidates = stopped ? this.survivorRows : touched;
    const candidateCount = stopped ? survivorCount : seen;
    let kept = 0;
    for (let i = 0; i < candidateCount; i++) {
      const row = candidates[i];
      if (acc[row] + bound < floor) continue;
      if (unread.length > 0) {
        const values = this.rows.values;
        for (const t of unread) {
          const at = this.rows.find(row, query.indices[t]);
          if (at >= 0) acc[row] += weights[t] * values[at];
        }
      }
      touched[kept++] = row;
    }
    const near = withMargin(kept > k ? kthBest(acc, touched, kept, k, selector) : -Infinity);
    const queryOrder = [...order].sort((a, b) => a - b);
    selector.reset(k);
    for (let i = 0; i < kept; i++) {
      const row = touched[i];
      if (acc[row] >= near) {
        const score = this.exactScore(row, query, queryOrder, weights);
        if (score > threshold) selector.offer(row, score);
      }
    }
    return unread.length;
  }

  /** Offers each row of one term's list that passes the filter, scored as the full scan scores it. */
  private rankList(
    postings: Postings | undefined,
    weight: number,
    count: number,
    filter: RowFilter | null,
    threshold: number,
    selector: TopKSelector,
  ): void {
    if (postings === undefined) return;
    const { rows, values } = postings;
    let floor = selector.floor;
    for (let p = 0; p < rows.length; p++) {
      const row = rows[p];
      const score = weight * values[p];
      if (row >= count || score <= threshold || score < floor || (filter !== null && !filter.test(row))) continue;
      selector.offer(row, score);
      floor = selector.floor;
    }
  }

  /** A row's score as the lists add it: term by term in query order (`terms`), from the row's own vector. */
  private exactScore(row: number, query: SparseVector, terms: readonly number[], weights: Float64Array): number {
    const values = this.rows.values;
    let score = 0;
    for (const t of terms) {
      const at = this.rows.find(row, query.indices[t]);
      if (at >= 0) score += weights[t] * values[at];
    }
    return score;
  }

  /** Counts the vector held in `indices` / `values` from `start` to `end` in (1) or out (-1). */
  private count(indices: Uint32Array, values: Float32Array, start: number, end: number, delta: 1 | -1): void {
    this.withVector += delta;
    for (let i = start; i < end; i++) {
      const term = indices[i];
      const value = values[i];
      if (value < 0) this.negativeValues += delta;
      // Only grows between rebuilds: still an upper bound after the row holding it is gone.
      if (delta === 1 && value > (this.maxValue.get(term) ?? 0)) this.maxValue.set(term, value);
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
    const { indices, values } = this.rows;
    for (let row = 0; row < count; row++) {
      const start = this.rows.start(row);
      if (start < 0) continue;
      const end = start + this.rows.length(row);
      for (let i = start; i < end; i++) {
        let list = lists.get(indices[i]);
        if (!list) lists.set(indices[i], (list = { rows: [], values: [] }));
        list.rows.push(row);
        list.values.push(values[i]);
      }
    }
    this.postings = new Map();
    this.maxValue = new Map();
    for (const [term, list] of lists) {
      const values = Float32Array.from(list.values);
      this.postings.set(term, { rows: Int32Array.from(list.rows), values });
      this.maxValue.set(
        term,
        values.reduce((max, v) => Math.max(max, v), 0),
      );
    }
    for (const row of this.changedRows) this.changed[row] = 0;
    this.changedRows = [];
    this.deltaPostings = new Map();
    this.deltaEntries = 0;
  }
}

/**
 * Row states of one scan (see SparseIndex.state); SKIP is 1 so that a mask's 0 or a changed
 * flag's 1 become it directly. A changed row scored from its own vector is CHANGED_SCORED, odd
 * like SKIP, so that the lists (which may hold its old values) still pass it by.
 */
const UNSEEN = 0;
const SKIP = 1;
const SCORED = 2;
const CHANGED_SCORED = 3;

/**
 * What completing a row by a lookup in its own sorted terms costs, in postings read. Tuned on the
 * 100k catalog's sparse vectors: 8, 16 and 24 gave 1.53–1.62 ms a query, the same within the
 * noise; 4 (with an earlier rule for when to check) stopped with too many rows to complete,
 * 2.4 ms against 2.3 for reading every list.
 */
const LOOKUP_COST = 16;

/** A list is long when it holds more than this share of the rows: before reading one, the scan checks whether it may stop. */
const LONG_LIST_SHARE = 8;
/**
 * A list at least this many times as long as the rows met so far is also checked for: a check is
 * two passes over those rows, and a short rare-term list read first met a few hundred rows.
 * Two-term queries of the search mix on the 100k catalog (a list of 300 rows, then one of 12,200,
 * short of an eighth of the rows) went from ~190 to 35–70 µs, completing the 300 rows by lookup.
 */
const CHECK_RATIO = 4;
/** At most this many checks per scan: each is two passes over the rows met so far. */
const MAX_CHECKS = 3;

/** A bound lowered by what summing the same parts in another order can change (rounding only). */
function withMargin(score: number): number {
  return score - 1e-9 * Math.abs(score) - 1e-12;
}

/** The k-th best of the rows' accumulated scores (k ≤ count), using `selector` as scratch. */
function kthBest(acc: Float64Array, rows: Int32Array, count: number, k: number, selector: TopKSelector): number {
  selector.reset(k);
  for (let i = 0; i < count; i++) {
    const score = acc[rows[i]];
    if (score >= selector.floor) selector.offer(rows[i], score);
  }
  return selector.floor;
}

/** A rebuild waits for at least this many changed rows (small collections rebuild rarely too). */
const REBUILD_MIN_CHANGED = 256;
