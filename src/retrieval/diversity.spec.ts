import { SeededRandom } from '../common/seeded-random';
import {
  cosineSimilarity,
  cosineWithSquaredNorms,
  intraListDiversity,
  maximalMarginalRelevance,
  squaredNorm,
  squaredNormF32,
} from './diversity';

describe('diversity', () => {
  it('measures the spread of a list as mean pairwise cosine distance', () => {
    expect(
      intraListDiversity([
        [1, 0],
        [1, 0],
      ]),
    ).toBeCloseTo(0);
    expect(
      intraListDiversity([
        [1, 0],
        [0, 1],
      ]),
    ).toBeCloseTo(1);
    expect(
      intraListDiversity([
        [1, 0],
        [0, 1],
        [-1, 0],
      ]),
    ).toBeCloseTo((1 + 2 + 1) / 3);
    expect(intraListDiversity([[1, 0]])).toBe(0);
  });

  const candidates = [
    { item: 'mapo tofu', relevance: 1.0, vector: [1, 0, 0] },
    { item: 'mapo tofu (other source)', relevance: 0.99, vector: [0.99, 0.1, 0] },
    { item: 'kung pao chicken', relevance: 0.8, vector: [0.6, 0.8, 0] },
    { item: 'dan dan noodles', relevance: 0.7, vector: [0.5, 0, 0.86] },
  ];

  it('keeps the relevance order when diversity is 0', () => {
    expect(maximalMarginalRelevance(candidates, 4, 0)).toEqual([
      'mapo tofu',
      'mapo tofu (other source)',
      'kung pao chicken',
      'dan dan noodles',
    ]);
  });

  it('moves a near-copy of the top hit down when diversity is asked for', () => {
    const picked = maximalMarginalRelevance(candidates, 3, 0.7);
    expect(picked[0]).toBe('mapo tofu');
    expect(picked).not.toContain('mapo tofu (other source)');
  });

  it('picks as comparing every candidate with every pick does, ties to the earlier candidate', () => {
    // The greedy rule written out plainly; the function works it out lazily.
    const plain = (list: Array<{ item: number; relevance: number; vector: number[] }>, k: number, diversity: number) => {
      const lambda = 1 - diversity;
      const rel = list.map((c) => c.relevance);
      const min = Math.min(...rel);
      const span = Math.max(...rel) - min || 1;
      const picked: number[] = [];
      while (picked.length < Math.min(k, list.length)) {
        let best = -1;
        let bestScore = -Infinity;
        list.forEach((c, i) => {
          if (picked.includes(i)) return;
          const redundancy = picked.length === 0 ? 0 : Math.max(...picked.map((p) => cosineSimilarity(c.vector, list[p].vector)));
          const score = lambda * ((c.relevance - min) / span) - (1 - lambda) * redundancy;
          if (score > bestScore) [best, bestScore] = [i, score];
        });
        picked.push(best);
      }
      return picked;
    };
    const rng = new SeededRandom(7);
    for (let round = 0; round < 200; round++) {
      const dim = 2 + Math.floor(rng.next() * 6);
      const list = Array.from({ length: 1 + Math.floor(rng.next() * 60) }, (_, item) => ({
        item,
        // Coarse values, so that equal relevances and repeated vectors occur.
        relevance: Math.round(rng.next() * 5) / 5,
        vector: Array.from({ length: dim }, () => Math.round((rng.next() * 2 - 1) * 3) / 3),
      }));
      const k = 1 + Math.floor(rng.next() * 12);
      const diversity = [0, 0.3, 0.5, 1][round % 4];
      expect(maximalMarginalRelevance(list, k, diversity)).toEqual(plain(list, k, diversity));
    }
  });

  it('picks the same from float32 vectors as from the same values in plain arrays', () => {
    const rng = new SeededRandom(19);
    for (let round = 0; round < 100; round++) {
      const dim = 3 + Math.floor(rng.next() * 20);
      const list = Array.from({ length: 2 + Math.floor(rng.next() * 80) }, (_, item) => ({
        item,
        relevance: Math.round(rng.next() * 8) / 8,
        vector: Float32Array.from({ length: dim }, () => rng.next() * 2 - 1),
      }));
      const plain = list.map((c) => ({ ...c, vector: Array.from(c.vector) }));
      const k = 1 + Math.floor(rng.next() * 12);
      const diversity = [0.1, 0.3, 0.7][round % 3];
      expect(maximalMarginalRelevance(list, k, diversity)).toEqual(maximalMarginalRelevance(plain, k, diversity));
    }
    for (let i = 0; i < 50; i++) {
      const v = Float32Array.from({ length: 1 + i }, () => rng.next() - 0.5);
      expect(squaredNormF32(v)).toBe(squaredNorm(Array.from(v)));
    }
  });

  it('returns at most k items and nothing for no candidates', () => {
    expect(maximalMarginalRelevance(candidates, 2, 0.3)).toHaveLength(2);
    expect(maximalMarginalRelevance([], 5, 0.3)).toEqual([]);
  });

  it('gives the same cosine from known squared lengths as from the vectors alone', () => {
    const vectors = [
      [0.3, -1.2, 2.5, 0.01],
      [1e-3, 4, -0.7, 0.2],
      [0, 0, 0, 0],
      [0.1, 0.2, 0.3],
    ];
    for (const a of vectors) {
      for (const b of vectors) {
        expect(cosineWithSquaredNorms(a, b, squaredNorm(a), squaredNorm(b))).toBe(cosineSimilarity(a, b));
      }
    }
  });
});
