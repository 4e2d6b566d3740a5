import { dotRun } from './dot-kernel';
import { centroidBias, kmeans, KMeansOptions, nearestCentroid, runToEnd } from './kmeans';
import type { TopKSelector } from './top-k-selector';

/** Below this many lists a row is compared with every centroid (the groups would save little). */
const GROUPED_ASSIGNMENT_MIN_LISTS = 256;
const GROUP_SEED = 0x2b1d_0f0e;

/**
 * The partitions' centroids clustered into about √nlist groups, so a row finds its list in two
 * steps: the groups nearest it first, then the centroids of those groups only (a coarse-to-fine
 * quantizer over the centroids themselves).
 *
 * Why: a new distinct vector, and every row after each rebuild, was compared with all centroids:
 * 39% of the service's main thread at 450,000 imported recipes (~1,300 lists of 192 dimensions),
 * 15% of its busy time at 40,000–85,000 (637 lists; CPU profiles during `--scale` imports).
 *
 * Measured on the 101,326 ingredient vectors of the 100,000-recipe scale catalog, 637 lists:
 * 25 groups, the nearest 5 searched, assigned them in 2.4–2.6 s against 6.8–7.4 s comparing
 * every centroid (groups built in 34 ms), and put 99.5% of them in the list the full comparison
 * picks; the others land in a near list, which a query probing its 16 nearest lists mostly still
 * reads. The scale bench's recall@10 at 16 probes went from 0.988 to 0.987 (0.987 → 0.984 with
 * a filter) and its 632-list build from 11.5 to 8.2 s (`npm run bench -- --only scale`).
 */
/**
 * A k-means `assigner` (see KMeansOptions) that groups each Lloyd iteration's centroids the same
 * way, from GROUPED_ASSIGNMENT_MIN_LISTS centroids on.
 */
export function groupedAssigner(spherical: boolean): NonNullable<KMeansOptions['assigner']> {
  return function* (centroids, k, dim, bias) {
    const groups = yield* groupsFor(centroids, k, dim, spherical);
    return groups && ((data, offset) => groups.nearest(data, offset, bias));
  };
}

/** The groups of `nlist` centroids from GROUPED_ASSIGNMENT_MIN_LISTS on; null below (every centroid is compared). */
export function* groupsFor(
  centroids: Float32Array,
  nlist: number,
  dim: number,
  spherical: boolean,
): Generator<void, CentroidGroups | null> {
  return nlist < GROUPED_ASSIGNMENT_MIN_LISTS ? null : yield* CentroidGroups.build(centroids, nlist, dim, spherical);
}

/** Centroids grouped between yields while the groups are built; about a millisecond at 192 dimensions and ~45 groups. */
const CENTROIDS_PER_YIELD = 64;

export class CentroidGroups {
  private readonly groupScores: Float64Array;
  /**
   * The centroids again, group by group in `members` order, so a group's are scored in one run
   * (by the SIMD kernel, see dot-kernel.ts).
   */
  private readonly grouped: Float32Array;
  private readonly nearestGroups: Int32Array;
  readonly count: number;
  /** Groups whose centroids a row is compared with, to find its list. */
  readonly probes: number;
  /**
   * Groups whose centroids a query's probe order is taken from (it wants its 16 nearest lists,
   * not one). On the scale bench's 632 lists, a third of the 25 groups kept recall@10 at 16
   * probes at 0.988, as scoring every centroid does (0.996 against 0.997 at 64 probes); a fifth,
   * as for rows, lost 0.004 at 16 probes and 0.007 at 64.
   */
  readonly queryProbes: number;

  private constructor(
    private readonly centroids: Float32Array,
    private readonly nlist: number,
    private readonly dim: number,
    private readonly groups: Float32Array,
    private readonly groupBias: Float32Array,
    /** Centroid numbers, group by group; group g's are members[starts[g] .. starts[g + 1]). */
    private readonly members: Int32Array,
    private readonly starts: Int32Array,
  ) {
    this.count = groups.length / dim;
    this.probes = Math.min(this.count, Math.ceil(this.count / 5));
    this.groupScores = new Float64Array(this.count);
    this.queryProbes = Math.min(this.count, Math.ceil(this.count / 3));
    this.nearestGroups = new Int32Array(Math.max(this.probes, this.queryProbes));
    this.grouped = new Float32Array(nlist * dim);
    for (let m = 0; m < nlist; m++) this.grouped.set(centroids.subarray(members[m] * dim, (members[m] + 1) * dim), m * dim);
  }

  /**
   * Groups `nlist` centroids, yielding between bounded pieces of work: built in one piece, 637
   * lists took 34 ms of the event loop, and ~2,000 lists would take several times that.
   */
  static *build(centroids: Float32Array, nlist: number, dim: number, spherical: boolean): Generator<void, CentroidGroups> {
    const count = Math.max(1, Math.round(Math.sqrt(nlist)));
    const groups = yield* kmeans(centroids, nlist, dim, { k: count, iterations: 6, seed: GROUP_SEED, spherical, seeding: 'random' });
    const made = groups.length / dim;
    const groupBias = new Float32Array(made);
    centroidBias(groups, made, dim, spherical, groupBias);
    const groupOf = new Int32Array(nlist);
    const sizes = new Int32Array(made);
    for (let c = 0; c < nlist; c++) {
      if (c % CENTROIDS_PER_YIELD === CENTROIDS_PER_YIELD - 1) yield;
      groupOf[c] = nearestCentroid(centroids, c * dim, groups, groupBias, made, dim).index;
      sizes[groupOf[c]]++;
    }
    const starts = new Int32Array(made + 1);
    for (let g = 0; g < made; g++) starts[g + 1] = starts[g] + sizes[g];
    const members = new Int32Array(nlist);
    const filled = starts.slice(0, made);
    for (let c = 0; c < nlist; c++) members[filled[groupOf[c]]++] = c;
    return new CentroidGroups(centroids, nlist, dim, groups, groupBias, members, starts);
  }

  /** {@link build} in one piece (tests, small inputs). */
  static of(centroids: Float32Array, nlist: number, dim: number, spherical: boolean): CentroidGroups {
    return runToEnd(CentroidGroups.build(centroids, nlist, dim, spherical));
  }

  /**
   * The list for the vector at `data[offset]`: the centroid maximising `x·c − bias[c]` among the
   * members of the `probes` groups scoring highest (`x·g − groupBias[g]`). Equal scores go to the
   * lower centroid number.
   */
  nearest(data: Float32Array, offset: number, bias: Float32Array): number {
    const { dim, nearestGroups, grouped, members, starts } = this;
    const x = data.subarray(offset, offset + dim);
    const found = this.selectGroups(x, this.probes);
    let best = -1;
    let bestScore = -Infinity;
    for (let p = 0; p < found; p++) {
      const g = nearestGroups[p];
      const from = starts[g];
      const scores = dotRun(grouped.subarray(from * dim), starts[g + 1] - from, dim, x);
      for (let m = from; m < starts[g + 1]; m++) {
        const c = members[m];
        const s = scores[m - from] - bias[c];
        if (s > bestScore || (s === bestScore && c < best)) {
          bestScore = s;
          best = c;
        }
      }
    }
    return best >= 0 ? best : nearestCentroid(data, offset, this.centroids, bias, this.nlist, dim).index;
  }

  /**
   * A query's probe order without scoring every centroid: each centroid of the `queryProbes`
   * groups nearest `query` is scored `query·c − bias[c]` into `scores` and offered to `selector`.
   * Returns how many were scored; the other entries of `scores` are left as they were.
   */
  offerNearest(query: Float32Array, bias: Float32Array, scores: Float64Array, selector: TopKSelector): number {
    const { dim, nearestGroups, grouped, members, starts } = this;
    const found = this.selectGroups(query, this.queryProbes);
    let scored = 0;
    for (let p = 0; p < found; p++) {
      const g = nearestGroups[p];
      const from = starts[g];
      const products = dotRun(grouped.subarray(from * dim), starts[g + 1] - from, dim, query);
      for (let m = from; m < starts[g + 1]; m++) {
        const c = members[m];
        const s = products[m - from] - bias[c];
        scores[c] = s;
        if (s >= selector.floor) selector.offer(c, s);
        scored++;
      }
    }
    return scored;
  }

  /** Puts the `probes` groups scoring highest for `x` (`x·g − groupBias[g]`) in `nearestGroups`, best first; returns how many. */
  private selectGroups(x: Float32Array, probes: number): number {
    const { dim, groups, groupBias, groupScores, nearestGroups, count } = this;
    const products = dotRun(groups, count, dim, x);
    let found = 0;
    for (let g = 0; g < count; g++) {
      const s = products[g] - groupBias[g];
      groupScores[g] = s;
      if (found === probes && s <= groupScores[nearestGroups[probes - 1]]) continue;
      let at = found < probes ? found++ : probes - 1;
      while (at > 0 && groupScores[nearestGroups[at - 1]] < s) {
        nearestGroups[at] = nearestGroups[at - 1];
        at--;
      }
      nearestGroups[at] = g;
    }
    return found;
  }
}
