import { SeededRandom } from '../common/seeded-random';
import { normalized, sphericalKMeans } from './spherical-kmeans';

/** Points scattered around three directions in 4-d. */
function blobs(): Float64Array[] {
  const centres = [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 1],
  ];
  const out: Float64Array[] = [];
  centres.forEach((c, ci) => {
    for (let i = 0; i < 10; i++) out.push(normalized(c.map((x, d) => x + 0.05 * Math.sin(i * 7 + d * 3 + ci))));
  });
  return out;
}

describe('sphericalKMeans', () => {
  it('finds well-separated groups', async () => {
    const { assignments } = await sphericalKMeans(blobs(), { k: 3, seed: 1 });
    for (let g = 0; g < 3; g++) {
      const ids = new Set(Array.from(assignments.slice(g * 10, g * 10 + 10)));
      expect(ids.size).toBe(1);
    }
    expect(new Set(Array.from(assignments)).size).toBe(3);
  });

  it('gives the same clusters for the same seed', async () => {
    const a = await sphericalKMeans(blobs(), { k: 4, seed: 7 });
    const b = await sphericalKMeans(blobs(), { k: 4, seed: 7 });
    expect(Array.from(a.assignments)).toEqual(Array.from(b.assignments));
  });

  it('never asks for more clusters than points, and keeps centroids unit length', async () => {
    const points = blobs().slice(0, 2);
    const { centroids } = await sphericalKMeans(points, { k: 5, seed: 1 });
    expect(centroids).toHaveLength(2);
    for (const c of centroids) expect(Math.hypot(...c)).toBeCloseTo(1, 9);
  });

  it('offers to pause every few dozen points, in the seeding and within each iteration, not once an iteration', async () => {
    const random = new SeededRandom(3);
    const points = Array.from({ length: 2000 }, () => normalized(Array.from({ length: 8 }, () => random.next() - 0.5)));
    let pauses = 0;
    const { iterations } = await sphericalKMeans(points, {
      k: 6,
      seed: 1,
      maxIterations: 3,
      pause: async () => {
        pauses++;
      },
    });
    // Counting work, not time: at least one chance to pause per 100 points of each iteration.
    expect(pauses).toBeGreaterThanOrEqual((iterations * points.length) / 100);
  });
});
