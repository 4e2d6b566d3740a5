import { SeededRandom } from '../../common/seeded-random';
import { CentroidGroups, groupedAssigner } from './centroid-groups';
import { dot } from './dot-kernel';
import { centroidBias, kmeans, nearestCentroid, runToEnd } from './kmeans';
import { TopKSelector } from './top-k-selector';

/** `count` rows around `blobs` random centres, spread `spread`; unit rows when `unit`. */
function around(rng: SeededRandom, centres: number[][], count: number, spread: number, unit: boolean): Float32Array {
  const dim = centres[0].length;
  const out = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) {
    const centre = centres[rng.nextInt(centres.length)];
    const row = centre.map((x) => x + (rng.next() - 0.5) * spread);
    const norm = unit ? Math.hypot(...row) : 1;
    out.set(
      row.map((x) => x / norm),
      i * dim,
    );
  }
  return out;
}

/** 400 centroids of 48 dimensions around 30 random blobs, and the blobs (to draw rows near them). */
function centroidsAround(rng: SeededRandom, unit: boolean) {
  const dim = 48;
  const nlist = 400;
  const blobs = Array.from({ length: 30 }, () => Array.from({ length: dim }, () => rng.next() * 2 - 1));
  return { dim, nlist, blobs, centroids: around(rng, blobs, nlist, 0.6, unit) };
}

describe('CentroidGroups', () => {
  it.each([
    ['cosine (unit rows and centroids)', true],
    ['Euclidean', false],
  ])('puts nearly every row in the list a comparison with every centroid picks: %s', (_, unit) => {
    const rng = new SeededRandom(17);
    const { dim, nlist, blobs, centroids } = centroidsAround(rng, unit);
    const bias = new Float32Array(nlist);
    centroidBias(centroids, nlist, dim, unit, bias);
    const groups = CentroidGroups.of(centroids, nlist, dim, unit);
    expect(groups.count).toBe(20);
    expect(groups.probes).toBe(4);

    const rows = 3000;
    const data = around(rng, blobs, rows, 0.8, unit);
    let same = 0;
    for (let i = 0; i < rows; i++) {
      const grouped = groups.nearest(data, i * dim, bias);
      expect(grouped).toBeGreaterThanOrEqual(0);
      expect(grouped).toBeLessThan(nlist);
      if (grouped === nearestCentroid(data, i * dim, centroids, bias, nlist, dim).index) same++;
    }
    expect(same / rows).toBeGreaterThanOrEqual(0.97);
  });

  it('orders a query’s probes through the groups: nearly the same nearest lists as scoring every centroid', () => {
    const rng = new SeededRandom(41);
    const { dim, nlist, blobs, centroids } = centroidsAround(rng, true);
    const bias = new Float32Array(nlist);
    const groups = CentroidGroups.of(centroids, nlist, dim, true);
    const probes = 16;
    const queries = 300;
    const data = around(rng, blobs, queries, 0.8, true);
    const scores = new Float64Array(nlist);
    let same = 0;
    for (let i = 0; i < queries; i++) {
      const query = data.subarray(i * dim, (i + 1) * dim);
      const selector = new TopKSelector();
      selector.reset(probes);
      const scored = groups.offerNearest(query, bias, scores, selector);
      expect(scored).toBeLessThan(nlist * 0.6);
      const grouped = selector.drain();
      for (const { row, score } of grouped) expect(score).toBeCloseTo(dot(centroids, row * dim, query, dim), 6);
      const every = Array.from({ length: nlist }, (_, c) => c).sort(
        (a, b) => dot(centroids, b * dim, query, dim) - dot(centroids, a * dim, query, dim),
      );
      const truth = new Set(every.slice(0, probes));
      same += grouped.filter(({ row }) => truth.has(row)).length;
    }
    expect(same / (probes * queries)).toBeGreaterThanOrEqual(0.97);
  });

  it('finds a centroid’s own list for a row equal to that centroid', () => {
    const rng = new SeededRandom(5);
    const dim = 16;
    const nlist = 300;
    const centroids = new Float32Array(nlist * dim).map(() => rng.next() - 0.5);
    const bias = new Float32Array(nlist);
    centroidBias(centroids, nlist, dim, false, bias);
    const groups = CentroidGroups.of(centroids, nlist, dim, false);
    for (let c = 0; c < nlist; c++) expect(groups.nearest(centroids, c * dim, bias)).toBe(c);
  });

  it('trains partitions through groups about as well as comparing every centroid', () => {
    const rng = new SeededRandom(23);
    const dim = 32;
    const blobs = Array.from({ length: 60 }, () => Array.from({ length: dim }, () => rng.next() * 2 - 1));
    const points = 6000;
    const data = around(rng, blobs, points, 0.9, true);
    const options = { k: 300, iterations: 4, seed: 9, spherical: true, seeding: 'random' as const };
    // Mean cosine of each point to its nearest centroid: what the training maximises.
    const cohesion = (centroids: Float32Array) => {
      const bias = new Float32Array(options.k);
      let total = 0;
      for (let i = 0; i < points; i++) total += nearestCentroid(data, i * dim, centroids, bias, options.k, dim).score;
      return total / points;
    };
    const seeded = cohesion(runToEnd(kmeans(data, points, dim, { ...options, iterations: 0 })));
    const full = cohesion(runToEnd(kmeans(data, points, dim, options)));
    const grouped = cohesion(runToEnd(kmeans(data, points, dim, { ...options, assigner: groupedAssigner(true) })));
    // At least 95% of what the iterations gain over the seeding (a third of the points sent to
    // a wrong centroid keeps ~89%).
    expect(full).toBeGreaterThan(seeded);
    expect((grouped - seeded) / (full - seeded)).toBeGreaterThanOrEqual(0.95);
  });

  it('builds its groups a piece at a time, so the event loop is let in between', () => {
    const rng = new SeededRandom(31);
    const dim = 64;
    const nlist = 1024;
    const centroids = new Float32Array(nlist * dim).map(() => rng.next() - 0.5);
    let pauses = 0;
    const steps = CentroidGroups.build(centroids, nlist, dim, false);
    let step = steps.next();
    for (; !step.done; step = steps.next()) pauses++;
    // At least one pause per 64 centroids grouped, besides the k-means over them.
    expect(pauses).toBeGreaterThanOrEqual(nlist / 64);
    expect(step.value.count).toBe(32);
  });
});
