import { easeRanking, invert, itemKnnRanking, popularityRanking } from './rating-baselines';

const ratings = (entries: Record<string, Record<string, number>>) =>
  new Map(Object.entries(entries).map(([u, r]) => [u, new Map(Object.entries(r))]));

// Two tastes: fish people (sea bass, clams, mussels) and meat people (ragù, roast, sausage).
const data = ratings({
  f1: { bass: 10, clams: 9, mussels: 9, ragu: 2, roast: 1 },
  f2: { bass: 9, clams: 10, mussels: 8, ragu: 3, sausage: 2 },
  m1: { ragu: 10, roast: 9, sausage: 9, bass: 2, clams: 1 },
  m2: { ragu: 9, roast: 10, sausage: 8, bass: 1, mussels: 2 },
  target: { bass: 10, clams: 9, ragu: 2 },
});

describe('rating baselines', () => {
  it('popularity ranks by the other users’ mean rating, without what the user rated', () => {
    const list = popularityRanking(data, 'target');
    expect(list).not.toContain('bass');
    expect(new Set(list)).toEqual(new Set(['mussels', 'roast', 'sausage']));
  });

  it('ItemKNN and EASE put the fish dish first for a fish person', () => {
    expect(itemKnnRanking(data, 'target')[0]).toBe('mussels');
    expect(easeRanking(data, 'target')[0]).toBe('mussels');
  });

  it('inverts a matrix', () => {
    const inv = invert([
      [4, 1],
      [1, 3],
    ]);
    expect(inv[0][0]).toBeCloseTo(3 / 11);
    expect(inv[0][1]).toBeCloseTo(-1 / 11);
  });
});
