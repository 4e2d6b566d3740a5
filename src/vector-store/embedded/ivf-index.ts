import type { Distance } from '../vector-store.port';
import type { DenseMatrix } from './dense-matrix';
import { dotRun } from './dot-kernel';
import type { CentroidGroups } from './centroid-groups';
import type { Int8Codes, Int8Query } from './int8-codes';
import { centroidBias, nearestCentroid } from './kmeans';
import type { RowFilter } from './row-filter';
import { TopKSelector } from './top-k-selector';
import { resized, VectorBlocks } from './vector-blocks';

/**
 * A filter passing at least this share of the rows lets a probed list score its whole block of
 * distinct vectors; below it, only the rows that pass are scored, from the matrix. Reading a
 * block is about 3.5× cheaper per vector than reading scattered rows (see VectorBlocks), so the
 * block pays once more than ~30% of the list would be scored anyway.
 */
const BLOCK_MIN_FILTER_SHARE = 0.3;

/**
 * Rows a search scores at least, per result asked for, probing past `probes` lists when these
 * hold fewer. Lists are small in a catalog just past the index's threshold, and a search's pool
 * (128) then spans more of them than 16 probes reach: on the bundled catalog partitioned (1,321
 * recipes, 73 lists of ~18), "chicken" ranked 宫保鸡丁 42nd with 16 probes (290 rows scored) and
 * in the first ten with every list probed, as the exact search does. At 100,000 recipes 16 lists
 * hold ~2,500 rows, more than this asks for a pool of 128.
 */
const ROWS_SCORED_PER_RESULT = 8;

/**
 * Inverted lists over one dense space: each row of the matrix belongs to the list of its
 * nearest centroid, or to the pending list while it waits for assignment. Rows are matrix row
 * numbers, so the collection reports every write, delete and swap-move here; membership is
 * O(1) to change (a row knows its list and its position in it).
 *
 * Pending rows are scored by every query, which is what keeps a write visible the moment it
 * lands: the background assigner moves them into their lists later.
 *
 * Each cluster list also keeps its distinct vectors contiguously (VectorBlocks), which a probe
 * scores before walking the list's rows. On the 100,000-recipe scale catalog, restarted, that
 * took search from 9.3–10.5 to 7.7 ms p50 (11–13 → 9–10 ms of CPU) and similar dishes from
 * 14.2–15.0 to 11.1–11.6 ms, for about 70 MB more resident memory (float32 copies then; int8
 * codes now, a quarter of that).
 *
 * The blocks' scores are approximate (int8), so a search collects `oversampling` × k candidates
 * (at least k + 16; see rescoredCandidates) and rescores them from the matrix's float32 vectors
 * before the best k go to the caller: the scores returned are exact, as with Qdrant's `rescore`.
 */
export class IvfIndex {
  readonly nlist: number;
  private readonly assignBias: Float32Array;
  private readonly probeBias: Float32Array;
  /** Lists 0..nlist-1 are clusters; list `nlist` holds pending rows. */
  private readonly lists: Int32Array[];
  /**
   * Beside each cluster list, the vector key of each of its rows (-1 in the pending list), so a
   * probe reads a row's key from the list it walks instead of from the row-indexed arrays of the
   * matrix: the rows of a list are scattered over the whole collection, and those two reads
   * (the row's presence and its key) were a cache miss each.
   */
  private readonly listKeys: Int32Array[];
  private readonly sizes: Int32Array;
  private listOf: Int32Array;
  private posOf: Int32Array;
  private readonly centroidScores: Float64Array;
  private readonly visited: Uint8Array;
  private readonly centroidSelector = new TopKSelector();
  /** The candidates of a search, by approximate score, before they are rescored. */
  private readonly candidates = new TopKSelector();
  private candidateRows = new Int32Array(256);
  private candidateScores = new Float64Array(256);
  /**
   * The list each vector key was assigned to (valid while the key's generation matches), so a
   * group of identical vectors costs one nearest-centroid search: in the 100,000-recipe scale
   * catalog that is 7,246 searches instead of 101,326 for the properties space.
   */
  private keyList = new Int32Array(0);
  private keyListGeneration = new Uint32Array(0);
  private keyListSet = new Uint8Array(0);
  /** The cluster lists' distinct vectors, contiguous per list. */
  private readonly blocks: VectorBlocks;
  /** Two-step assignment for many lists (see CentroidGroups); null: every centroid is compared. */
  private readonly groups: CentroidGroups | null;
  /**
   * The same groups ordering a query's probes (null: every centroid is scored): ~250 of 637
   * centroids scored instead of all. On the restarted 100,000-recipe bench catalog's own vectors
   * (1,200 dense queries, both spaces, groups on and off alternating in one process), 0.29 against
   * 0.34 ms a query at k = 10 and 0.34 against 0.40 ms at k = 128, with 99.9% and 99.8% of the
   * results the same as scoring every centroid.
   */
  private readonly probeGroups: CentroidGroups | null;
  /** The vector key each row in a cluster list entered its block with (-1 for pending rows). */
  private rowKey: Int32Array;

  constructor(
    readonly dim: number,
    readonly centroids: Float32Array,
    distance: Distance,
    capacity: number,
    /** The int8 coding of the blocks, placed on the training sample. */
    private readonly codes: Int8Codes,
    /** Two-step assignment (see CentroidGroups), built with the centroids; null: every centroid is compared. */
    groups: CentroidGroups | null = null,
  ) {
    this.nlist = centroids.length / dim;
    // Rows are assigned by Euclidean nearness unless the space is cosine (unit rows and
    // centroids, where the largest dot product is the same thing and cheaper).
    this.assignBias = new Float32Array(this.nlist);
    centroidBias(centroids, this.nlist, dim, distance === 'cosine', this.assignBias);
    // Probe order follows the query's own score: dot products, Euclidean nearness for euclid.
    this.probeBias = new Float32Array(this.nlist);
    centroidBias(centroids, this.nlist, dim, distance !== 'euclid', this.probeBias);
    this.lists = Array.from({ length: this.nlist + 1 }, () => new Int32Array(16));
    this.listKeys = Array.from({ length: this.nlist + 1 }, () => new Int32Array(16));
    this.sizes = new Int32Array(this.nlist + 1);
    this.listOf = new Int32Array(capacity).fill(-1);
    this.posOf = new Int32Array(capacity);
    this.rowKey = new Int32Array(capacity).fill(-1);
    this.blocks = new VectorBlocks(codes, this.nlist);
    this.groups = groups;
    // The groups were made for assignment (Euclidean nearness, or the dot product for cosine),
    // which is also the probe order except for the dot distance.
    this.probeGroups = distance === 'dot' ? null : groups;
    this.centroidScores = new Float64Array(this.nlist);
    this.visited = new Uint8Array(this.nlist);
  }

  get pending(): number {
    return this.sizes[this.nlist];
  }

  /** Rows in cluster lists (not pending). */
  get assigned(): number {
    let total = 0;
    for (let l = 0; l < this.nlist; l++) total += this.sizes[l];
    return total;
  }

  listSizes(): number[] {
    return Array.from(this.sizes.subarray(0, this.nlist));
  }

  grow(capacity: number): void {
    const listOf = new Int32Array(capacity).fill(-1);
    listOf.set(this.listOf);
    this.listOf = listOf;
    this.posOf = resized(this.posOf, capacity);
    const rowKey = new Int32Array(capacity).fill(-1);
    rowKey.set(this.rowKey);
    this.rowKey = rowKey;
  }

  /** A row got a (new) vector: it waits in the pending list until assigned. */
  add(row: number): void {
    this.remove(row);
    this.push(this.nlist, row, -1);
  }

  remove(row: number): void {
    const list = this.listOf[row];
    if (list < 0) return;
    const key = this.rowKey[row];
    if (key >= 0) {
      this.blocks.leave(key);
      this.rowKey[row] = -1;
    }
    const members = this.lists[list];
    const last = --this.sizes[list];
    const pos = this.posOf[row];
    if (pos !== last) {
      const moved = members[last];
      members[pos] = moved;
      this.listKeys[list][pos] = this.listKeys[list][last];
      this.posOf[moved] = pos;
    }
    this.listOf[row] = -1;
  }

  /** Swap-remove in the matrix: the row at `from` now lives at `to` (whose old row is gone). */
  move(from: number, to: number): void {
    this.remove(to);
    const list = this.listOf[from];
    if (list < 0) return;
    const pos = this.posOf[from];
    this.lists[list][pos] = to;
    this.listOf[to] = list;
    this.posOf[to] = pos;
    this.rowKey[to] = this.rowKey[from];
    this.listOf[from] = -1;
    this.rowKey[from] = -1;
  }

  /** Moves up to `max` pending rows into their nearest cluster; returns how many moved. */
  assignPending(matrix: DenseMatrix, max: number): number {
    const pending = this.nlist;
    let done = 0;
    while (done < max && this.sizes[pending] > 0) {
      const row = this.lists[pending][this.sizes[pending] - 1];
      this.remove(row);
      const list = this.listFor(matrix, row);
      const key = matrix.keys[row];
      this.push(list, row, key);
      this.blocks.enter(list, key, matrix.data, matrix.offsetOf(row));
      this.rowKey[row] = key;
      done++;
    }
    return done;
  }

  /**
   * Feeds `selector` (already reset to k) with the best of the pending rows and the members of
   * the clusters nearest the query: at least `probes` clusters, then more in centroid order until
   * `budget` rows passing the filter have been scored, and at least ROWS_SCORED_PER_RESULT × k. The
   * `oversampling` × k best by the blocks' approximate scores are rescored exactly; only
   * exact scores above `threshold` reach the selector. Returns clusters probed.
   */
  search(
    matrix: DenseMatrix,
    query: Float32Array,
    filter: RowFilter | null,
    probes: number,
    budget: number,
    k: number,
    threshold: number,
    selector: TopKSelector,
    oversampling: number,
  ): number {
    // A selective filter scores its rows from the matrix, whose scores are exact: no block, no rescoring.
    const blocks = filter === null || filter.estimateMatches() >= BLOCK_MIN_FILTER_SHARE * filter.size;
    const blockQuery = blocks ? this.codes.prepareQuery(query) : null;
    const probed = this.collect(matrix, query, filter, probes, budget, blocks ? rescoredCandidates(k, oversampling) : k, k, blockQuery);
    const { candidates } = this;
    const held = candidates.held;
    if (this.candidateRows.length < held) {
      this.candidateRows = new Int32Array(held * 2);
      this.candidateScores = new Float64Array(held * 2);
    }
    const { candidateRows, candidateScores } = this;
    for (let i = 0; i < held; i++) {
      candidateRows[i] = candidates.rowAt(i);
      candidateScores[i] = candidates.scoreAt(i);
    }
    candidates.reset(0);
    if (blocks) matrix.scoreRows(query, candidateRows, held, candidateScores);
    for (let i = 0; i < held; i++) {
      const s = candidateScores[i];
      if (s > threshold && s >= selector.floor) selector.offer(candidateRows[i], s);
    }
    return probed;
  }

  /**
   * The best `held` candidates of `search` for its k, into `this.candidates`: by the blocks'
   * approximate scores when `blockQuery` is given, else scored from the matrix.
   */
  private collect(
    matrix: DenseMatrix,
    query: Float32Array,
    filter: RowFilter | null,
    probes: number,
    budget: number,
    held: number,
    k: number,
    blockQuery: Int8Query | null,
  ): number {
    const { nlist, centroidScores, visited, candidates } = this;
    candidates.reset(held);
    // No threshold here: it applies to the exact scores.
    matrix.scanRows(query, this.lists[nlist], this.sizes[nlist], filter, -Infinity, candidates);

    const first = Math.min(probes, nlist);
    this.centroidSelector.reset(first);
    if (this.probeGroups !== null) this.probeGroups.offerNearest(query, this.probeBias, centroidScores, this.centroidSelector);
    // No groups, or fewer lists in the nearest groups than the probes ask for: score them all.
    let everyScore = false;
    if (this.centroidSelector.held < first) {
      this.scoreCentroids(query);
      everyScore = true;
      this.centroidSelector.reset(first);
      for (let c = 0; c < nlist; c++)
        if (centroidScores[c] >= this.centroidSelector.floor) this.centroidSelector.offer(c, centroidScores[c]);
    }
    const nearest = this.centroidSelector.drain();

    let scored = 0;
    let probed = 0;
    for (const { row: list } of nearest) {
      scored += this.scanList(matrix, list, query, blockQuery, filter);
      probed++;
    }
    const enough = (): boolean => scored >= budget && scored >= ROWS_SCORED_PER_RESULT * k;
    if (enough() || probed === nlist) return probed;

    // Rarely needed (selective filters, tiny clusters): order the rest and keep going.
    if (!everyScore) this.scoreCentroids(query);
    visited.fill(0);
    for (const { row: list } of nearest) visited[list] = 1;
    const rest: number[] = [];
    for (let c = 0; c < nlist; c++) if (visited[c] === 0) rest.push(c);
    rest.sort((a, b) => centroidScores[b] - centroidScores[a] || a - b);
    for (const list of rest) {
      scored += this.scanList(matrix, list, query, blockQuery, filter);
      probed++;
      if (enough()) break;
    }
    return probed;
  }

  /** Every centroid's probe score for `query`, into `centroidScores`. */
  private scoreCentroids(query: Float32Array): void {
    const { nlist, dim, centroids, centroidScores, probeBias } = this;
    // At 636 lists × 192 dims, scoring them with one accumulator chain took ~0.8 ms of a
    // 100,000-recipe search's CPU; now one run of the SIMD kernel (dot-kernel.ts).
    const products = dotRun(centroids, nlist, dim, query);
    for (let c = 0; c < nlist; c++) centroidScores[c] = products[c] - probeBias[c];
  }

  /** One list into the candidates, from its block when `blockQuery` is given. */
  private scanList(matrix: DenseMatrix, list: number, query: Float32Array, blockQuery: Int8Query | null, filter: RowFilter | null): number {
    const block = blockQuery !== null ? this.blocks.block(list) : null;
    return matrix.scanRows(
      query,
      this.lists[list],
      this.sizes[list],
      filter,
      -Infinity,
      this.candidates,
      block,
      blockQuery,
      this.listKeys[list],
    );
  }

  private listFor(matrix: DenseMatrix, row: number): number {
    const key = matrix.keys[row];
    if (key >= this.keyList.length) this.growKeyLists(Math.max(key + 1, this.keyList.length * 2, 64));
    const generation = matrix.keyGeneration[key];
    if (this.keyListSet[key] === 1 && this.keyListGeneration[key] === generation) return this.keyList[key];
    const offset = matrix.offsetOf(row);
    const index = this.groups
      ? this.groups.nearest(matrix.data, offset, this.assignBias)
      : nearestCentroid(matrix.data, offset, this.centroids, this.assignBias, this.nlist, this.dim).index;
    this.keyList[key] = index;
    this.keyListGeneration[key] = generation;
    this.keyListSet[key] = 1;
    return index;
  }

  private growKeyLists(size: number): void {
    this.keyList = resized(this.keyList, size);
    this.keyListGeneration = resized(this.keyListGeneration, size);
    this.keyListSet = resized(this.keyListSet, size);
  }

  private push(list: number, row: number, key: number): void {
    let members = this.lists[list];
    let keys = this.listKeys[list];
    const size = this.sizes[list];
    if (size === members.length) {
      members = this.lists[list] = resized(members, members.length * 2);
      keys = this.listKeys[list] = resized(keys, members.length);
    }
    members[size] = row;
    keys[size] = key;
    this.sizes[list] = size + 1;
    this.listOf[row] = list;
    this.posOf[row] = size;
  }
}

/**
 * Candidates a search rescores for its k: `oversampling` × k, and at least 16 more than k.
 * Every candidate held costs each row a scan offers (a larger heap has a lower floor): on the
 * 100,000-recipe bench catalog at k = 128 (a search's pool) a query took 0.32 ms with 128
 * candidates, 0.63–0.66 ms with 256, against 0.43–0.48 ms scoring the float32 blocks.
 */
export function rescoredCandidates(k: number, oversampling: number): number {
  return Math.max(k + 16, Math.ceil(k * oversampling));
}
