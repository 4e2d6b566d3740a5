import fc from 'fast-check';
import { DishNameIndex, dishNameKey, MIN_CONTAINED_NAME_CHARS, NameQuery, SHORT_QUERY_CHARS } from './dish-name';

describe('dish names', () => {
  it('keys ignore case, width, spaces and punctuation', () => {
    expect(dishNameKey(' 宫保 鸡丁 ')).toBe('宫保鸡丁');
    expect(dishNameKey('Kung-Pao  CHICKEN')).toBe('kungpaochicken');
    expect(dishNameKey('ＫＦＣ鸡翅')).toBe('kfc鸡翅');
  });

  const index = new DishNameIndex([
    { id: 'b', name: '宫保鸡丁' },
    { id: 'a', name: '宫保 鸡丁' },
    { id: 'c', name: '宫保虾球' },
    { id: 'd', name: '番茄炒蛋' },
    { id: 'e', name: '鸡' },
  ]);

  it('finds exact names (in id order) and names of the same dish', () => {
    expect(index.withKey('宫保鸡丁')).toEqual(['a', 'b']);
    const tiers = index.match(new NameQuery(dishNameKey('Kung Pao Chicken'), { exactKeys: ['宫保鸡丁'], containment: false }));
    expect([...tiers]).toEqual([
      ['a', 2],
      ['b', 2],
    ]);
  });

  it('matches names containing a short query, and names of three or more characters inside the query', () => {
    expect(index.match(new NameQuery('宫保', { containment: true }))).toEqual(
      new Map([
        ['b', 1],
        ['a', 1],
        ['c', 1],
      ]),
    );
    const long = index.match(new NameQuery(dishNameKey('番茄炒蛋的家常做法'), { containment: true }));
    expect(long.get('d')).toBe(1);
    expect(long.has('e')).toBe(false);
  });

  it('matches nothing for an empty key or without containment', () => {
    expect(index.match(new NameQuery('', { containment: true })).size).toBe(0);
    expect(index.match(new NameQuery('宫保', { containment: false })).size).toBe(0);
  });
});

/** An index of `entries`, then some of them renamed (their old names stay behind as stale postings); their current names. */
function renamed(entries: Array<{ id: string; key: string }>, renames: Array<[number, string]>) {
  const index = new DishNameIndex();
  for (const { id, key } of entries) index.add(id, key);
  const current = new Map(entries.map((e) => [e.id, e.key]));
  for (const [at, key] of renames) {
    if (entries.length === 0) break;
    const id = entries[at % entries.length].id;
    current.set(id, key);
    index.add(id, key);
  }
  return { index, current };
}

/** What the index answered before it had postings: one pass over every name. */
function matchByScan(
  entries: Array<{ id: string; key: string }>,
  queryKey: string,
  options: { exactKeys?: readonly string[]; containment: boolean },
) {
  const out = new Map<string, number>();
  if (queryKey.length === 0) return out;
  const exact = new Set([queryKey, ...(options.exactKeys ?? [])]);
  // Names with an empty key were never indexed.
  entries = entries.filter((e) => e.key.length > 0);
  for (const { id, key } of [...entries].sort((a, b) => (a.id < b.id ? -1 : 1))) if (exact.has(key)) out.set(id, 2);
  if (!options.containment) return out;
  const short = queryKey.length <= SHORT_QUERY_CHARS && queryKey.length >= 2;
  for (const { id, key } of entries) {
    if (out.has(id)) continue;
    if ((short && key.includes(queryKey)) || (key.length >= MIN_CONTAINED_NAME_CHARS && queryKey.includes(key))) out.set(id, 1);
  }
  return out;
}

describe('dish-name index against a full pass', () => {
  // A small alphabet so random names and queries share bigrams and contain each other often.
  const key = fc.string({ unit: fc.constantFrom('宫', '保', '鸡', '丁', 'a', 'b', 'c'), maxLength: 8 });
  const catalog = fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), key }), {
    selector: (e) => e.id,
    maxLength: 40,
  });
  const query = fc.record({
    q: fc.string({ unit: fc.constantFrom('宫', '保', '鸡', '丁', 'a', 'b', 'c'), maxLength: 16 }),
    exact: fc.array(key, { maxLength: 2 }),
    containment: fc.boolean(),
  });

  it('merges exact matches under several names of a dish into one id order', () => {
    const index = new DishNameIndex();
    index.add('b-kung-pao', 'kungpaochicken');
    index.add('a-gongbao', '宫保鸡丁');
    index.add('c-gongbao', '宫保鸡丁');
    expect([...index.match(new NameQuery('宫保鸡丁', { exactKeys: ['kungpaochicken'], containment: false })).keys()]).toEqual([
      'a-gongbao',
      'b-kung-pao',
      'c-gongbao',
    ]);
  });

  it('lists a name key once per id, in id order, however adds (repeated, out of order) and reads interleave', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('x', 'y'), fc.string({ maxLength: 3 }), fc.boolean())), (steps) => {
        const index = new DishNameIndex();
        const want = new Map<string, Set<string>>([
          ['x', new Set()],
          ['y', new Set()],
        ]);
        for (const [k, id, read] of steps) {
          index.add(id, k);
          want.get(k)!.add(id);
          if (read) expect(index.withKey(k)).toEqual([...want.get(k)!].sort());
        }
        for (const [k, ids] of want) expect(index.withKey(k)).toEqual([...ids].sort());
      }),
      { numRuns: 300 },
    );
  });

  it('answers exactly what the full pass answered, exact matches in id order', () => {
    fc.assert(
      fc.property(catalog, query, (entries, { q, exact, containment }) => {
        const index = new DishNameIndex();
        for (const { id, key: k } of entries) index.add(id, k);
        const got = index.match(new NameQuery(q, { exactKeys: exact, containment }));
        const want = matchByScan(entries, q, { exactKeys: exact, containment });
        expect(new Map([...got].sort())).toEqual(new Map([...want].sort()));
        expect([...got].filter(([, t]) => t === 2).map(([id]) => id)).toEqual([...want].filter(([, t]) => t === 2).map(([id]) => id));
      }),
      { numRuns: 500 },
    );
  });

  it('with stale postings from renamed recipes, answers for the current names only', () => {
    fc.assert(
      fc.property(catalog, fc.array(fc.tuple(fc.nat(), key), { maxLength: 10 }), query, (entries, renames, { q, exact, containment }) => {
        const { index, current } = renamed(entries, renames);
        const got = index.match(new NameQuery(q, { exactKeys: exact, containment }), (id) => current.get(id));
        const want = matchByScan(
          [...current].map(([id, k]) => ({ id, key: k })),
          q,
          { exactKeys: exact, containment },
        );
        expect(new Map([...got].sort())).toEqual(new Map([...want].sort()));
      }),
      { numRuns: 300 },
    );
  });
  /** The bounded answer by its rule: exact names first, then contained names closest in length to the query; a few ids of each, in id order. */
  const boundedByRule = (
    current: Map<string, string>,
    want: Map<string, number>,
    q: string,
    exact: readonly string[],
    bound: { recipes: number; perName: number },
  ) => {
    const ofKey = (k: string) => [...want.keys()].filter((id) => current.get(id) === k).sort();
    const exactKeys = [...new Set([q, ...exact])];
    const distance = (k: string) => Math.abs(k.length - q.length);
    const contained = [...new Set([...want].filter(([, t]) => t === 1).map(([id]) => current.get(id)!))].sort(
      (a, b) => distance(a) - distance(b) || (a < b ? -1 : 1),
    );
    const out = new Map<string, number>();
    for (const k of [...exactKeys, ...contained])
      for (const id of ofKey(k).slice(0, bound.perName)) if (out.size < bound.recipes) out.set(id, want.get(id)!);
    return out;
  };

  // Three letters and short queries, so most names contain the query or sit inside it, and the bound cuts through them.
  const denseUnit = fc.constantFrom('宫', '保', '鸡');
  // Names of at most two letters repeat (copies of one dish); longer ones vary in length.
  const denseKey = fc.oneof(fc.string({ unit: denseUnit, maxLength: 2 }), fc.string({ unit: denseUnit, maxLength: 5 }));
  const denseCatalog = fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 4 }), key: denseKey }), {
    selector: (e) => e.id,
    minLength: 10,
    maxLength: 40,
  });
  const denseQuery = fc.record({
    q: fc.string({ unit: denseUnit, minLength: 1, maxLength: 3 }),
    exact: fc.array(denseKey, { maxLength: 2 }),
    containment: fc.boolean(),
  });

  it('bounded, takes a few recipes of each name, exact names first, then the names closest in length to the query', () => {
    fc.assert(
      fc.property(
        denseCatalog,
        fc.array(fc.tuple(fc.nat(), denseKey), { maxLength: 6 }),
        denseQuery,
        fc.record({ recipes: fc.integer({ min: 1, max: 8 }), perName: fc.integer({ min: 1, max: 3 }) }),
        (entries, renames, { q, exact, containment }, bound) => {
          const { index, current } = renamed(entries, renames);
          const nameQuery = new NameQuery(q, { exactKeys: exact, containment });
          const got = index.match(nameQuery, (id) => current.get(id), bound);
          const want = matchByScan(
            [...current].map(([id, k]) => ({ id, key: k })),
            q,
            { exactKeys: exact, containment },
          );
          expect(new Map([...got].sort())).toEqual(new Map([...boundedByRule(current, want, q, exact, bound)].sort()));
          // A recipe the bound left out (a vector hit, say) is tiered by the same rule.
          for (const [id, k] of current) if (k.length > 0) expect(nameQuery.tierOf(k)).toBe(want.get(id) ?? 0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
