import { fullRankingAt, pairwiseCounts, sampledAt } from './user-metrics';

describe('user ranking metrics', () => {
  const heldOut = new Map([
    ['a', 9],
    ['b', 5],
    ['c', 2],
  ]);

  it('counts the pairs the ranking orders like the ratings', () => {
    expect(pairwiseCounts(['a', 'b', 'c'], heldOut)).toEqual({ correct: 3, pairs: 3 });
    expect(pairwiseCounts(['c', 'b', 'a'], heldOut)).toEqual({ correct: 0, pairs: 3 });
  });

  it('puts unlisted dishes below listed ones and counts two unlisted ones as a tie', () => {
    // a listed: a > b and a > c right; b and c both unlisted: half.
    expect(pairwiseCounts(['a'], heldOut)).toEqual({ correct: 2.5, pairs: 3 });
    expect(pairwiseCounts(['c'], heldOut)).toEqual({ correct: 0.5, pairs: 3 });
  });

  it('skips pairs with the same rating', () => {
    expect(
      pairwiseCounts(
        ['x'],
        new Map([
          ['a', 4],
          ['b', 4],
        ]),
      ),
    ).toEqual({ correct: 0, pairs: 0 });
  });

  it('scores the liked held-out dishes in the top k', () => {
    expect(fullRankingAt(['x', 'a', 'y'], heldOut, 10)).toEqual({ ndcg: 1 / Math.log2(3), hit: 1 });
    expect(fullRankingAt(['x', 'y'], heldOut, 10)).toEqual({ ndcg: 0, hit: 0 });
    expect(fullRankingAt(['x'], new Map([['b', 5]]), 10)).toBeNull();
  });

  it('ranks one positive among sampled negatives', () => {
    const negatives = Array.from({ length: 100 }, (_, i) => `n${i}`);
    expect(sampledAt(['a', ...negatives], 'a', negatives, 10)).toEqual({ ndcg: 1, hit: 1 });
    expect(sampledAt([...negatives, 'a'], 'a', negatives, 10)).toEqual({ ndcg: 0, hit: 0 });
    // Unlisted positive among unlisted negatives: the middle.
    expect(sampledAt([], 'a', negatives, 10).hit).toBe(0);
  });
});
