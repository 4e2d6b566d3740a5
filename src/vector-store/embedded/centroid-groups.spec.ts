import { SeededRandom } from '../../common/seeded-random';
import { CentroidGroups } from './centroid-groups';
import { centroidBias, nearestCentroid } from './kmeans';

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

describe('CentroidGroups', () => {
  it.each([
    ['cosine (unit rows and centroids)', true],
    ['Euclidean', false],
  ])('puts nearly every row in the list a comparison with every centroid picks: %s', (_, unit) => {
    const rng = new SeededRandom(17);
    const dim = 48;
    const nlist = 400;
    const blobs = Array.from({ length: 30 }, () => Array.from({ length: dim }, () => rng.next() * 2 - 1));
    const centroids = around(rng, blobs, nlist, 0.6, unit);
    const bias = new Float32Array(nlist);
    centroidBias(centroids, nlist, dim, unit, bias);
    const groups = new CentroidGroups(centroids, nlist, dim, unit);
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

  it('finds a centroid’s own list for a row equal to that centroid', () => {
    const rng = new SeededRandom(5);
    const dim = 16;
    const nlist = 300;
    const centroids = new Float32Array(nlist * dim).map(() => rng.next() - 0.5);
    const bias = new Float32Array(nlist);
    centroidBias(centroids, nlist, dim, false, bias);
    const groups = new CentroidGroups(centroids, nlist, dim, false);
    for (let c = 0; c < nlist; c++) expect(groups.nearest(centroids, c * dim, bias)).toBe(c);
  });
});
