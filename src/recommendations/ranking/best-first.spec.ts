import { SeededRandom } from '../../common/seeded-random';
import { bestFirst } from './best-first';

const fullSort = (scores: ReadonlyMap<string, number>) =>
  [...scores]
    .filter(([, score]) => score > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([id]) => id);

describe('bestFirst', () => {
  it('gives the first `limit` ids of the full sort, ties at the cut broken by id', () => {
    const rng = new SeededRandom(11);
    for (let round = 0; round < 50; round++) {
      const scores = new Map<string, number>();
      const n = 1 + rng.nextInt(300);
      // Few distinct values, so that many scores tie, some of them at the cut; some not positive.
      for (let i = 0; i < n; i++) scores.set(`r${rng.nextInt(10_000).toString(16)}`, rng.nextInt(12) / 4 - 0.5);
      for (const limit of [1, 5, 50, 1_000]) expect(bestFirst(scores, limit)).toEqual(fullSort(scores).slice(0, limit));
    }
  });

  it('leaves out ids scoring zero or less, and with no limit keeps every other', () => {
    const scores = new Map([
      ['b', 0.5],
      ['a', 0.5],
      ['c', 0],
      ['d', -1],
      ['e', 2],
    ]);
    expect(bestFirst(scores)).toEqual(['e', 'a', 'b']);
    expect(bestFirst(scores, 2)).toEqual(['e', 'a']);
  });
});
