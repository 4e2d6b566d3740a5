import { performance } from 'node:perf_hooks';
import { denseNamesOf } from '../collection-name';
import { bestScore, recommendSimilarity } from '../recommend-scoring';
import type { CollectionSpec, DenseVectorName, RecipeFilter, RecipePayload, SparseVector } from '../vector-store.port';
import { DenseMatrix } from './dense-matrix';
import { DEFAULT_IVF_OPTIONS, PartitionedSpace, type IvfOptions, type PartitionStatus } from './partitioned-space';
import { PayloadIndex } from './payload-index';
import { countRows, RowFilter } from './row-filter';
import { SparseIndex, type SparseRow } from './sparse-index';
import { TieOrder, TopKSelector } from './top-k-selector';

/** A point as it lives in memory: vectors already prepared for scoring. */
export interface PreparedPoint {
  id: string;
  contentHash: string;
  payload: RecipePayload;
  /** In `denseNames` order; null where the point lacks that space. */
  dense: Array<Float32Array | null>;
  sparse: SparseRow | null;
}

export interface RankedRow {
  row: number;
  score: number;
}

/** Background index work runs in slices this long, so queries and writes interleave with it. */
const INDEX_SLICE_MS = 10;
/** Quiet time after the last write before the sparse postings are rebuilt in the background (see settleSparseWhenQuiet). */
export const SPARSE_SETTLE_QUIET_MS = 2_000;

/**
 * The in-memory side of one collection: rows addressed by a dense integer, an id→row map, and
 * one DenseMatrix per named space. Deletes swap the last row into the hole so the arrays stay
 * contiguous. Purely synchronous; persistence is the store's job.
 */
export class EmbeddedCollection {
  readonly denseNames: DenseVectorName[];
  private readonly matrices = new Map<DenseVectorName, DenseMatrix>();
  readonly sparse = new SparseIndex();
  private ids: string[] = [];
  private hashes: string[] = [];
  private payloads: RecipePayload[] = [];
  private readonly rowOf = new Map<string, number>();
  /** `ids` sorted, for paging; dropped on every add or delete. */
  private sortedIds: string[] | null = null;
  private capacity: number;
  private mask: Uint8Array;
  private readonly ties = new TieOrder();
  private readonly selector = new TopKSelector(64, this.ties);
  /** Scratch of the rows a filter passes (searchDense), grown with the collection. */
  private passing = new Int32Array(0);
  private readonly partitions = new Map<DenseVectorName, PartitionedSpace>();
  private readonly payloadIndex: PayloadIndex;
  private indexWork: Promise<void> | null = null;
  private sparseTimer: NodeJS.Timeout | null = null;
  private buildTimer: Promise<void> | null = null;
  private closed = false;

  constructor(
    readonly name: string,
    readonly spec: CollectionSpec,
    initialCapacity = 1024,
    private readonly ivf: () => IvfOptions = () => DEFAULT_IVF_OPTIONS,
  ) {
    this.denseNames = denseNamesOf(spec);
    this.capacity = Math.max(16, initialCapacity);
    for (const n of this.denseNames) {
      const matrix = new DenseMatrix(spec.dense[n]!.size, spec.distance, this.capacity);
      this.matrices.set(n, matrix);
      this.partitions.set(n, new PartitionedSpace(matrix, spec.distance, ivf));
    }
    this.mask = new Uint8Array(this.capacity);
    this.payloadIndex = new PayloadIndex(this.capacity);
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.rowOf.has(id);
  }

  rowIndex(id: string): number | undefined {
    return this.rowOf.get(id);
  }

  idAt(row: number): string {
    return this.ids[row];
  }

  payloadAt(row: number): RecipePayload {
    return this.payloads[row];
  }

  matrix(name: DenseVectorName): DenseMatrix {
    const matrix = this.matrices.get(name);
    if (!matrix) throw new Error(`No dense space "${name}" in ${this.name}`);
    return matrix;
  }

  put(point: PreparedPoint): void {
    let row = this.rowOf.get(point.id);
    if (row === undefined) {
      this.sortedIds = null;
      row = this.ids.length;
      if (row === this.capacity) this.grow(this.capacity * 2);
      this.rowOf.set(point.id, row);
      this.ids.push(point.id);
      this.ties.set(row, point.id);
    }
    this.hashes[row] = point.contentHash;
    this.payloadIndex.set(row, point.payload, this.payloads[row] ?? null);
    this.payloads[row] = point.payload;
    this.denseNames.forEach((n, i) => {
      this.matrices.get(n)!.write(row, point.dense[i]);
      this.partitions.get(n)!.written(row, point.dense[i] !== null);
    });
    this.sparse.write(row, point.sparse);
  }

  remove(id: string): void {
    const row = this.rowOf.get(id);
    if (row === undefined) return;
    this.sortedIds = null;
    const last = this.ids.length - 1;
    for (const partition of this.partitions.values()) partition.removed(row, last);
    this.payloadIndex.set(row, null, this.payloads[row]);
    if (row !== last) {
      this.payloadIndex.set(last, null, this.payloads[last]);
      this.payloadIndex.set(row, this.payloads[last], null);
      const movedId = this.ids[last];
      this.ids[row] = movedId;
      this.ties.set(row, movedId);
      this.hashes[row] = this.hashes[last];
      this.payloads[row] = this.payloads[last];
      for (const matrix of this.matrices.values()) matrix.move(last, row);
      this.sparse.move(last, row);
      this.rowOf.set(movedId, row);
    } else {
      for (const matrix of this.matrices.values()) matrix.write(last, null);
      this.sparse.write(last, null);
    }
    this.rowOf.delete(id);
    this.ids.pop();
    this.ties.truncate(this.ids.length);
    this.hashes.pop();
    this.payloads.pop();
    this.sparse.truncate(this.ids.length);
  }

  snapshot(row: number): PreparedPoint {
    return {
      id: this.ids[row],
      contentHash: this.hashes[row],
      payload: this.payloads[row],
      dense: this.denseRows(row),
      sparse: this.sparse.get(row),
    };
  }

  /** The row's stored dense vectors in `denseNames` order (views, not copies). */
  denseRows(row: number): Array<Float32Array | null> {
    return this.denseNames.map((n) => this.matrices.get(n)!.row(row));
  }

  /**
   * The query's filter over the rows, from the payload index into reusable buffers (valid until
   * the next call); null when the filter constrains nothing.
   */
  buildMask(filter: RecipeFilter | undefined): RowFilter | null {
    const bits = this.payloadIndex.evaluate(filter, this.ids.length, (id) => this.rowOf.get(id));
    return bits ? new RowFilter(bits, this.ids.length, this.mask) : null;
  }

  count(filter: RecipeFilter | undefined): number {
    const bits = this.payloadIndex.evaluate(filter, this.ids.length, (id) => this.rowOf.get(id));
    return bits ? countRows(bits, this.ids.length) : this.ids.length;
  }

  /**
   * Top k by one dense space: through the partitioned index when that space has one ready
   * (see PartitionedSpace.search), else an exact scan. `mask` must come from the last buildMask.
   */
  searchDense(name: DenseVectorName, query: Float32Array, filter: RowFilter | null, k: number, threshold = -Infinity): RankedRow[] {
    const matrix = this.matrix(name);
    const space = this.partitions.get(name)!;
    this.scheduleIndexWork(space);
    this.selector.reset(k);
    const size = this.ids.length;
    if (space.search(query, filter, size, k, threshold, this.selector)) return this.selector.drain();
    if (filter === null) {
      matrix.scan(query, size, null, threshold, this.selector);
    } else {
      // Only the rows that pass: a filter of a few thousand ids (a pantry's tie group) over
      // 100,000 rows cost 1.5 ms expanding and reading a byte per row, for 0.3 ms of scoring.
      if (this.passing.length < size) this.passing = new Int32Array(Math.ceil(size * 1.25));
      const n = filter.rows(this.passing);
      matrix.scanRows(query, this.passing, n, null, threshold, this.selector);
    }
    return this.selector.drain();
  }

  /**
   * Starts background index work (first build, rebuild, assigning new rows) if any is due, or
   * sets a timer for a build that waits for the writes to pause. `queried`: a query of that
   * space is waiting (a first build then starts at once).
   */
  scheduleIndexWork(queried: PartitionedSpace | null = null): void {
    if (this.closed || this.indexWork) return;
    const spaces = [...this.partitions.values()];
    if (!spaces.some((space) => space.wantsWork(this.ids.length, space === queried))) {
      this.deferBuild(spaces);
      return;
    }
    this.indexWork = new Promise<void>((resolve) => {
      let firstSlice = true;
      const slice = (): void => {
        const deadline = performance.now() + INDEX_SLICE_MS;
        let more = false;
        if (!this.closed) {
          for (const space of spaces) if (space.step(this.ids.length, deadline, firstSlice && space === queried)) more = true;
        }
        firstSlice = false;
        if (more) {
          setImmediate(slice);
        } else {
          this.indexWork = null;
          this.deferBuild(spaces);
          resolve();
        }
      };
      setImmediate(slice);
    });
  }

  /** A timer for the soonest build waiting for the writes to pause; one at a time. */
  private deferBuild(spaces: PartitionedSpace[]): void {
    if (this.closed || this.buildTimer) return;
    const waits = spaces.map((space) => space.buildWait(this.ids.length)).filter((wait): wait is number => wait !== null);
    if (waits.length === 0) return;
    this.buildTimer = new Promise<void>((resolve) => {
      setTimeout(
        () => {
          this.buildTimer = null;
          this.scheduleIndexWork();
          resolve();
        },
        Math.min(...waits) + 1,
      ).unref();
    });
  }

  /** Resolves once no background index work is running, due or waiting for a pause in the writes. */
  async indexIdle(): Promise<void> {
    while (this.indexWork || this.buildTimer) await (this.indexWork ?? this.buildTimer);
  }

  indexStatus(): Partial<Record<DenseVectorName, PartitionStatus>> {
    const out: Partial<Record<DenseVectorName, PartitionStatus>> = {};
    for (const [name, space] of this.partitions) out[name] = space.status();
    return out;
  }

  /**
   * After a write: once the writes have paused for SPARSE_SETTLE_QUIET_MS, rebuilds the sparse
   * postings if enough rows changed that the next query would. A model retrain fills its new
   * collection with writes nobody queries, and the first sparse query after it began serving
   * paid the rebuild (0.5 s at 100,000 recipes; in the scale bench, the first new recipe written
   * after an import waited behind it). Each write pushes the rebuild back, so a running import
   * never pays it between batches.
   */
  settleSparseWhenQuiet(): void {
    if (this.closed) return;
    if (this.sparseTimer) clearTimeout(this.sparseTimer);
    this.sparseTimer = setTimeout(() => {
      this.sparseTimer = null;
      if (!this.closed) this.sparse.settle(this.ids.length);
    }, SPARSE_SETTLE_QUIET_MS);
    this.sparseTimer.unref();
  }

  /** Stops background index work; the collection is being replaced. */
  close(): void {
    this.closed = true;
    if (this.sparseTimer) clearTimeout(this.sparseTimer);
    this.sparseTimer = null;
  }

  searchSparse(query: SparseVector, filter: RowFilter | null, k: number, threshold = -Infinity): RankedRow[] {
    this.selector.reset(k);
    this.sparse.scan(query, this.ids.length, filter, threshold, this.selector);
    return this.selector.drain();
  }

  /**
   * Qdrant's best_score recommendation objective (see recommend-scoring.ts): every candidate is
   * compared with every example. `positives` and `negatives` are prepared like stored vectors.
   */
  searchBestScore(
    name: DenseVectorName,
    positives: Float32Array[],
    negatives: Float32Array[],
    filter: RowFilter | null,
    k: number,
  ): RankedRow[] {
    const matrix = this.matrix(name);
    const mask = filter?.mask() ?? null;
    const { distance } = this.spec;
    this.selector.reset(k);
    for (let row = 0; row < this.ids.length; row++) {
      if (matrix.present[row] === 0 || (mask !== null && mask[row] === 0)) continue;
      let bestPos = -Infinity;
      for (const p of positives) bestPos = Math.max(bestPos, recommendSimilarity(distance, matrix.score(row, p)));
      let bestNeg = -Infinity;
      for (const n of negatives) bestNeg = Math.max(bestNeg, recommendSimilarity(distance, matrix.score(row, n)));
      this.selector.offer(row, bestScore(bestPos, bestNeg));
    }
    return this.selector.drain();
  }

  /**
   * Ids in ascending order with their content hashes, starting after `after`. The sorted ids are
   * kept until the next write, so scrolling a whole collection page by page sorts once: sorting
   * per page made a scroll of 100,000 points in pages of 50 take over 4 s.
   */
  page(after: string | null, limit: number): Array<{ id: string; contentHash: string }> {
    if (!this.sortedIds) this.sortedIds = [...this.ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const sorted = this.sortedIds;
    let lo = 0;
    if (after !== null) {
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid] <= after) lo = mid + 1;
        else hi = mid;
      }
    }
    return sorted.slice(lo, lo + limit).map((id) => ({ id, contentHash: this.hashes[this.rowOf.get(id)!] }));
  }

  private grow(capacity: number): void {
    for (const matrix of this.matrices.values()) matrix.grow(capacity);
    for (const partition of this.partitions.values()) partition.grow(capacity);
    const mask = new Uint8Array(capacity);
    this.mask = mask;
    this.payloadIndex.grow(capacity);
    this.capacity = capacity;
  }
}
