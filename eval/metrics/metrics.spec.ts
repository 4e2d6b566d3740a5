import { dcgAt, meanOf, ndcgAt, precisionAt, recallAt, violationsAt } from './metrics';

describe('ranking metrics', () => {
  // Ranking a b c d; judged: b fully relevant (2), d and e partly (1); e was never retrieved.
  const ranked = ['a', 'b', 'c', 'd'];
  const gains = new Map([
    ['b', 2],
    ['d', 1],
    ['e', 1],
  ]);
  const relevant = new Set(['b', 'd', 'e']);

  it('computes DCG with exponential gain and a log2 rank discount', () => {
    // b at rank 2: (2^2 - 1) / log2(3)
    expect(dcgAt(ranked, gains, 3)).toBeCloseTo(3 / Math.log2(3), 10);
    // d at rank 4 adds (2^1 - 1) / log2(5)
    expect(dcgAt(ranked, gains, 4)).toBeCloseTo(3 / Math.log2(3) + 1 / Math.log2(5), 10);
  });

  it('normalises NDCG by the ideal ordering of every judged id, retrieved or not', () => {
    // ideal 2, 1, 1: 3/1 + 1/log2(3) + 1/log2(4) = 4.1309
    expect(ndcgAt(ranked, gains, 3)).toBeCloseTo(1.892789 / 4.13093, 5);
    expect(ndcgAt(['b', 'd', 'e'], gains, 3)).toBeCloseTo(1, 10);
    expect(ndcgAt(ranked, new Map(), 10)).toBeNull();
  });

  it('counts precision over k slots, short lists included', () => {
    expect(precisionAt(ranked, relevant, 3)).toBeCloseTo(1 / 3, 10);
    expect(precisionAt(ranked, relevant, 5)).toBeCloseTo(2 / 5, 10);
    expect(precisionAt(['b', 'b'], relevant, 2)).toBeCloseTo(1 / 2, 10);
  });

  it('computes recall against every relevant id, and none without relevant ids', () => {
    expect(recallAt(ranked, relevant, 3)).toBeCloseTo(1 / 3, 10);
    expect(recallAt(ranked, relevant, 50)).toBeCloseTo(2 / 3, 10);
    expect(recallAt(ranked, new Set(), 10)).toBeNull();
  });

  it('counts violations among the results actually returned', () => {
    expect(violationsAt(ranked, (id) => id === 'a' || id === 'd', 3)).toEqual({ violations: 1, returned: 3 });
    expect(violationsAt([], () => true, 10)).toEqual({ violations: 0, returned: 0 });
  });

  it('averages only defined values', () => {
    expect(meanOf([1, null, 0.5])).toBeCloseTo(0.75, 10);
    expect(meanOf([null])).toBeNull();
  });
});
