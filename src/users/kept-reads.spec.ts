import { KeptReads } from './kept-reads';

/** A load that records the keys it was asked for and returns one row per key, `key@n` for the n-th load. */
function counter() {
  const asked: string[][] = [];
  const load = async (missing: string[]) => {
    asked.push(missing);
    return new Map(missing.map((key) => [key, [`${key}@${asked.length}`]]));
  };
  return { asked, load };
}

describe('KeptReads', () => {
  afterEach(() => jest.restoreAllMocks());

  it('reads only the keys it does not keep, and gives the same array back while it keeps it', async () => {
    const kept = new KeptReads<string[]>(60_000, 100, []);
    const { asked, load } = counter();
    const first = await kept.get(['a', 'b'], load);
    const second = await kept.get(['b', 'c'], load);
    expect(asked).toEqual([['a', 'b'], ['c']]);
    expect(second.get('b')).toBe(first.get('b'));
    expect(second.get('c')).toEqual(['c@2']);
  });

  it('gives a key the load leaves out no rows, and keeps that too', async () => {
    const kept = new KeptReads<string[]>(60_000, 100, []);
    const none = jest.fn(async () => new Map<string, string[]>());
    expect((await kept.get(['x'], none)).get('x')).toEqual([]);
    await kept.get(['x'], none);
    expect(none).toHaveBeenCalledTimes(1);
  });

  it('reads a key again once it has been kept for the time to live', async () => {
    const kept = new KeptReads<string[]>(1_000, 100, []);
    const { asked, load } = counter();
    const start = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(start);
    await kept.get(['a'], load);
    clock.mockReturnValue(start + 999);
    await kept.get(['a'], load);
    clock.mockReturnValue(start + 1_000);
    expect((await kept.get(['a'], load)).get('a')).toEqual(['a@2']);
    expect(asked).toEqual([['a'], ['a']]);
  });

  it('reads a key again after this process wrote it', async () => {
    const kept = new KeptReads<string[]>(60_000, 100, []);
    const { load } = counter();
    await kept.get(['a'], load);
    kept.written('a');
    expect((await kept.get(['a'], load)).get('a')).toEqual(['a@2']);
  });

  it('does not keep what a read under way returns for a key written meanwhile', async () => {
    const kept = new KeptReads<string[]>(60_000, 100, []);
    let finish!: () => void;
    const slow = (missing: string[]) =>
      new Promise<Map<string, string[]>>((resolve) => {
        finish = () => resolve(new Map(missing.map((key) => [key, [`${key}@before`]])));
      });
    const reading = kept.get(['a', 'b'], slow);
    kept.written('a');
    finish();
    expect((await reading).get('a')).toEqual(['a@before']);
    const { asked, load } = counter();
    await kept.get(['a', 'b'], load);
    expect(asked).toEqual([['a']]);
  });

  it('drops the entries read least recently once it holds more rows than its cap', async () => {
    const kept = new KeptReads<string[]>(60_000, 2, []);
    const { asked, load } = counter();
    await kept.get(['a'], load);
    await kept.get(['b'], load);
    await kept.get(['a'], load); // a is now the most recently read
    await kept.get(['c'], load); // three rows: b goes
    await kept.get(['a', 'b', 'c'], load);
    expect(asked).toEqual([['a'], ['b'], ['c'], ['b']]);
  });
});
