import { performance } from 'node:perf_hooks';
import type { Distance } from '../vector-store.port';
import type { DenseMatrix } from './dense-matrix';
import { CentroidGroups, groupedAssigner, groupsFor } from './centroid-groups';
import { Int8Codes } from './int8-codes';
import { IvfIndex } from './ivf-index';
import { SeededRandom } from '../../common/seeded-random';
import { kmeans, KMeansOptions } from './kmeans';
import type { RowFilter } from './row-filter';
import type { TopKSelector } from './top-k-selector';

/** Settings of the partitioned (IVF) index, shared by every dense space of a collection. */
export interface IvfOptions {
  /** Below this many points a space is searched exactly; at or above it the index is built. */
  minPoints: number;
  /** Clusters scored per query (more: better recall, slower). */
  probes: number;
  /** Clusters per space; null: 2·√N, chosen when the index is built. */
  lists: number | null;
  /** Candidates per result taken from the int8 blocks and rescored with the float32 vectors. */
  oversampling: number;
}

/**
 * Chosen on the 100,000-recipe synthetic catalog (bench/scale-bench.ts): 2·√N lists rather than
 * the textbook 4·√N halve the build (its cost is N × lists products) while queries stay far
 * below 5 ms at recall@10 ≥ 0.95.
 */
export const DEFAULT_IVF_OPTIONS: Readonly<IvfOptions> = Object.freeze({ minPoints: 20_000, probes: 16, lists: null, oversampling: 1.25 });

/**
 * A filter passing at least this share of the points probes the same lists as no filter, and
 * goes past them only to fill its limit. The budget of matching points is there for selective
 * filters, whose matches may sit away from the query; one that leaves out a few points (the
 * dish itself for similar dishes, an exclusion few recipes hit) paid it too, reading lists past
 * the nearest whenever those held fewer rows than the average list. On the restarted
 * 100,000-recipe bench catalog's vectors, 1,200 dense queries leaving out one point each, k = 50:
 * 0.37 → 0.29–0.30 ms a query, 99.9% of the hits the same.
 */
export const NEAR_ALL_SHARE = 0.9;

/** Training sample per list: enough points per centroid for stable means, far fewer than N. */
const SAMPLE_PER_LIST = 16;
const LLOYD_ITERATIONS = 4;
const LISTS_PER_SQRT_N = 2;
/** Retrain once this share of the indexed size was written or deleted since the last build. */
const REBUILD_WRITE_SHARE = 0.25;
const SEED = 0x1f1f_2025;
/** Pending rows assigned between deadline checks. */
const ASSIGN_CHUNK = 256;
/**
 * A build or rebuild waits until the space has had no writes for this long (or a query finds
 * no index at all). Built as soon as due, a 100,000-recipe import through the API trained and
 * assigned eight times on the way (at 20k, 25k, 31k, … points), on the thread that also takes
 * the import in: the import took 135 s instead of 96 s and its indexing 271 s instead of 124 s.
 */
export const BUILD_QUIET_MS = 1000;
/** …but writes that never pause for that long do not put a due build off beyond this. */
const BUILD_DEFER_MAX_MS = 60_000;

export interface PartitionStatus {
  state: 'none' | 'building' | 'ready';
  lists: number;
  pending: number;
  builds: number;
  /** Wall time of the last completed build (training + assignment, spread over event-loop turns). */
  lastBuildMs: number | null;
}

/**
 * The partitioned index of one dense space through its life: trained on a sample as soon as
 * the space is large enough, filled by assigning every row in the background, swapped in when
 * complete, and retrained the same way after enough writes, while the previous index (or the
 * exact scan) keeps answering. Writes reach every live index at once, so nothing is ever missed.
 */
export class PartitionedSpace {
  private active: IvfIndex | null = null;
  private warming: IvfIndex | null = null;
  private training: Generator<void, TrainedPartitions> | null = null;
  private buildStarted = 0;
  private writesSinceBuild = 0;
  private builtFor = 0;
  private builds = 0;
  private lastBuildMs: number | null = null;
  private lastWriteAt = -Infinity;
  private dueSince: number | null = null;

  constructor(
    private readonly matrix: DenseMatrix,
    private readonly distance: Distance,
    private readonly options: () => IvfOptions,
  ) {}

  status(): PartitionStatus {
    const building = this.training !== null || this.warming !== null;
    return {
      state: building ? 'building' : this.active ? 'ready' : 'none',
      lists: this.active?.nlist ?? this.warming?.nlist ?? 0,
      pending: this.active?.pending ?? 0,
      builds: this.builds,
      lastBuildMs: this.lastBuildMs,
    };
  }

  written(row: number, hasVector: boolean): void {
    for (const index of this.live()) {
      if (hasVector) index.add(row);
      else index.remove(row);
    }
    this.writesSinceBuild++;
    this.lastWriteAt = performance.now();
  }

  /** Swap-remove: `row` is deleted and, unless it was the last, `last` moves into it. */
  removed(row: number, last: number): void {
    for (const index of this.live()) {
      index.remove(row);
      if (row !== last) index.move(last, row);
    }
    this.writesSinceBuild++;
    this.lastWriteAt = performance.now();
  }

  grow(capacity: number): void {
    for (const index of this.live()) index.grow(capacity);
  }

  /**
   * Whether `step` has anything to do. A build does not wait for a query (a model retrain fills
   * a new collection nobody queries until it serves; built lazily, its index was built during
   * the first queries, each scanned exactly meanwhile: at 37,000 recipes the bench's search
   * phase spent 5.5 s of CPU in k-means and 4.5 s assigning rows), but for the writes to pause
   * (BUILD_QUIET_MS). `queried`: a query of this space is waiting, which starts a first build
   * at once.
   */
  wantsWork(size: number, queried = false): boolean {
    if (this.training || this.warming) return true;
    if (this.active && this.active.pending > 0) return true;
    return this.buildDue(size, queried);
  }

  /** Milliseconds until a build that is due but waiting for the writes to pause may start; null if none waits. */
  buildWait(size: number): number | null {
    if (this.training || this.warming || !this.shouldBuild(size)) return null;
    const now = performance.now();
    const quiet = this.lastWriteAt + BUILD_QUIET_MS - now;
    const capped = (this.dueSince ?? now) + BUILD_DEFER_MAX_MS - now;
    return Math.max(0, Math.min(quiet, capped));
  }

  /** One slice of background work, until `deadline` (performance.now()); true if more remains. */
  step(size: number, deadline: number, queried = false): boolean {
    if (!this.training && !this.warming && this.buildDue(size, queried)) this.startTraining(size);
    if (this.training) {
      while (performance.now() < deadline) {
        const next = this.training.next();
        if (next.done) {
          this.training = null;
          this.startWarming(next.value, size);
          break;
        }
      }
      if (this.training) return true;
    }
    if (this.warming) {
      while (this.warming.pending > 0 && performance.now() < deadline) this.warming.assignPending(this.matrix, ASSIGN_CHUNK);
      if (this.warming.pending > 0) return true;
      this.active = this.warming;
      this.warming = null;
      this.builds++;
      this.lastBuildMs = performance.now() - this.buildStarted;
    }
    if (this.active) {
      while (this.active.pending > 0 && performance.now() < deadline) this.active.assignPending(this.matrix, ASSIGN_CHUNK);
    }
    return this.wantsWork(size);
  }

  /**
   * Searches through the index when one is ready and worth using; false means the caller must
   * scan exactly. A filter matching no more points than the probes would score anyway is
   * answered exactly (same cost, exact result); otherwise probing continues past `probes` until
   * that many matching points were scored, so a filtered query fills its limit whenever it can.
   * A filter passing nearly every point is probed as no filter (see NEAR_ALL_SHARE).
   */
  search(query: Float32Array, filter: RowFilter | null, size: number, k: number, threshold: number, selector: TopKSelector): boolean {
    const index = this.active;
    const options = this.options();
    if (!index || size < options.minPoints) return false;
    const probes = Math.max(1, Math.min(options.probes, index.nlist));
    const budget = Math.ceil((probes * index.assigned) / index.nlist);
    const matches = filter === null ? size : filter.estimateMatches();
    if (filter !== null && matches <= 2 * budget) return false;
    const rowBudget = matches >= NEAR_ALL_SHARE * size ? 0 : budget;
    index.search(this.matrix, query, filter, probes, rowBudget, k, threshold, selector, options.oversampling);
    return true;
  }

  private live(): IvfIndex[] {
    const out: IvfIndex[] = [];
    if (this.active) out.push(this.active);
    if (this.warming) out.push(this.warming);
    return out;
  }

  private buildDue(size: number, queried: boolean): boolean {
    if (!this.shouldBuild(size)) {
      this.dueSince = null;
      return false;
    }
    const now = performance.now();
    this.dueSince ??= now;
    if (queried && this.active === null) return true;
    return now - this.lastWriteAt >= BUILD_QUIET_MS || now - this.dueSince >= BUILD_DEFER_MAX_MS;
  }

  private shouldBuild(size: number): boolean {
    if (size < this.options().minPoints) return false;
    return this.active === null || this.writesSinceBuild > REBUILD_WRITE_SHARE * this.builtFor;
  }

  /** Copies a seeded sample of present rows, so later writes and moves cannot disturb training. */
  private startTraining(size: number): void {
    const { dim, present } = this.matrix;
    const rows: number[] = [];
    for (let row = 0; row < size; row++) if (present[row] === 1) rows.push(row);
    const lists = Math.max(1, Math.min(this.options().lists ?? Math.round(LISTS_PER_SQRT_N * Math.sqrt(rows.length)), rows.length));
    const sampleSize = Math.min(rows.length, lists * SAMPLE_PER_LIST);
    const rng = new SeededRandom(SEED + this.builds);
    for (let i = 0; i < sampleSize; i++) {
      const j = i + rng.nextInt(rows.length - i);
      const swap = rows[i];
      rows[i] = rows[j];
      rows[j] = swap;
    }
    const sample = new Float32Array(sampleSize * dim);
    for (let i = 0; i < sampleSize; i++) sample.set(this.matrix.row(rows[i])!, i * dim);
    this.buildStarted = performance.now();
    this.dueSince = null;
    this.writesSinceBuild = 0;
    this.builtFor = rows.length;
    const codes = Int8Codes.fromSample(sample, sampleSize, dim);
    this.training = trainedPartitions(sample, sampleSize, dim, codes, {
      k: lists,
      iterations: LLOYD_ITERATIONS,
      seed: SEED + this.builds,
      spherical: this.distance === 'cosine',
      // Random seeding, as Faiss's IVF training does: k-means++ cost more than the rest of a build.
      seeding: 'random',
      // The Lloyd iterations find each sample's centroid through groups too, as rows are assigned
      // later. `npm run bench -- --only scale` (632 lists): recall@10 0.987 before, 0.988 after; the
      // build took 8.2 s before, 6.1 and 8.2 s after on a machine then 1.6 times slower (its raw
      // scan 23 → 35–37 ms), so about 40% less work.
      assigner: groupedAssigner(this.distance === 'cosine'),
    });
  }

  private startWarming({ centroids, groups, codes }: TrainedPartitions, size: number): void {
    const { dim, present } = this.matrix;
    const index = new IvfIndex(dim, centroids, this.distance, present.length, codes, groups);
    for (let row = 0; row < size; row++) if (present[row] === 1) index.add(row);
    this.warming = index;
  }
}

/** A build's trained centroids, from GROUPED_ASSIGNMENT_MIN_LISTS lists on their groups, and the int8 coding of its blocks. */
interface TrainedPartitions {
  centroids: Float32Array;
  groups: CentroidGroups | null;
  codes: Int8Codes;
}

/** k-means, then the groups the index assigns rows through, both a slice at a time. */
function* trainedPartitions(
  sample: Float32Array,
  n: number,
  dim: number,
  codes: Int8Codes,
  options: KMeansOptions,
): Generator<void, TrainedPartitions> {
  const centroids = yield* kmeans(sample, n, dim, options);
  const groups = yield* groupsFor(centroids, centroids.length / dim, dim, options.spherical);
  return { centroids, groups, codes };
}
