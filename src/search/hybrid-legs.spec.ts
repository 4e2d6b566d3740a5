import { rankedThrough, SEARCH_POOL } from './hybrid-legs';

/** A ranking at each pool size: `kept` of the pool's candidates survive, ids r0, r1, … in order. */
function ranking(kept: (pool: number) => number) {
  const pools: number[] = [];
  const rankAt = async (pool: number) => {
    pools.push(pool);
    return Array.from({ length: kept(pool) }, (_, i) => `r${i}`);
  };
  return { pools, rankAt };
}

const id = (item: string) => item;
const same = (ranked: readonly string[]) => ranked;
/** Two copies of one dish per pair of ids: r0/r1 fold to r0, r2/r3 to r2… */
const pairs = (ranked: readonly string[]) => ranked.filter((_, i) => i % 2 === 0);

describe('rankedThrough', () => {
  it('serves a page within the first ranking from it alone', async () => {
    const { pools, rankAt } = ranking(() => 120);
    expect(await rankedThrough(10, 384, rankAt, id, same)).toHaveLength(120);
    expect(pools).toEqual([SEARCH_POOL]);
  });

  it('goes deeper when the page reaches past what the first ranking folds to, and keeps that ranking first', async () => {
    const { pools, rankAt } = ranking((pool) => (pool === SEARCH_POOL ? 128 : 300));
    // 128 candidates fold to 64 dishes: a page ending at 70 needs the deeper ranking.
    const list = await rankedThrough(70, 384, rankAt, id, pairs);
    expect(pools).toEqual([SEARCH_POOL, 384]);
    expect(list.slice(0, 64)).toEqual(pairs(Array.from({ length: 128 }, (_, i) => `r${i}`)));
    expect(new Set(list).size).toBe(list.length);
  });

  it('ends a narrow query’s list at its first ranking, on every page alike', async () => {
    const { pools, rankAt } = ranking((pool) => (pool === SEARCH_POOL ? 20 : 200));
    expect(await rankedThrough(10, 384, rankAt, id, same)).toHaveLength(20);
    expect(await rankedThrough(40, 384, rankAt, id, same)).toHaveLength(20);
    expect(pools).toEqual([SEARCH_POOL, SEARCH_POOL]);
  });
});
