import { cosineSimilarity, cosineWithSquaredNorms, intraListDiversity, maximalMarginalRelevance, squaredNorm } from './diversity';

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
