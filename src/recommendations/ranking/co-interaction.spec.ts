import { InteractionSignal } from '../../users/user-interaction.types';
import { SeededRandom } from '../../common/seeded-random';
import { bestFirst } from './best-first';
import { coInteractions, MAX_PARTNERS_PER_ITEM } from './co-interaction';

const seen = (userId: string, recipeId: string, preference = 0): InteractionSignal => ({
  userId,
  recipeId,
  type: 'rating',
  preference,
  at: '2025-06-01T00:00:00Z',
});

describe('co-interaction', () => {
  // Two menus people were shown: pasta dishes, and curries.
  const history = [
    ...['u1', 'u2', 'u3'].flatMap((u) => [seen(u, 'carbonara', 1), seen(u, 'amatriciana', -1), seen(u, 'lasagne')]),
    ...['u4', 'u5'].flatMap((u) => [seen(u, 'dal', 1), seen(u, 'korma'), seen(u, 'biryani', -1)]),
  ];

  it('finds the dishes of the same world, liked or not, and none of another', () => {
    const scores = coInteractions(history).scores(['carbonara']);
    expect(scores.get('amatriciana')).toBe(1);
    expect(scores.get('lasagne')).toBe(1);
    expect(scores.has('dal')).toBe(false);
    expect(scores.has('carbonara')).toBe(false);
  });

  it("keeps a popular dish's strongest partners only", () => {
    // 'hub' is met with 150 other dishes: ten of them by the same five people, the rest once each.
    const strong = Array.from({ length: 10 }, (_, i) => `strong-${i}`);
    const once = Array.from({ length: 140 }, (_, i) => `once-${i}`);
    const crowd = [
      ...['s1', 's2', 's3', 's4', 's5'].flatMap((u) => [seen(u, 'hub'), ...strong.map((r) => seen(u, r))]),
      ...once.map((r, i) => [seen(`o${i}`, 'hub'), seen(`o${i}`, r)]).flat(),
    ];
    const table = coInteractions(crowd);
    const row = table.partnersOf('hub');
    expect(row).toHaveLength(MAX_PARTNERS_PER_ITEM);
    expect(strong.every((r) => row.includes(r))).toBe(true);
    // Ties among the rest are kept by id, so the same dishes are kept on every build.
    expect(row.filter((r) => r.startsWith('once-')).sort()).toEqual(
      once
        .slice()
        .sort()
        .slice(0, MAX_PARTNERS_PER_ITEM - 10),
    );
    const scores = table.scores(['hub']);
    expect(scores.get('strong-0')).toBe(1);
  });

  it('scores each user afresh, by id and best first, whatever was asked before', () => {
    const random = new SeededRandom(7);
    const dishes = Array.from({ length: 400 }, (_, i) => `d${String(i).padStart(3, '0')}`);
    const crowd = Array.from({ length: 120 }, (_, u) =>
      Array.from({ length: 3 + Math.floor(random.next() * 20) }, () =>
        seen(`u${u}`, dishes[Math.floor(random.next() * 80) * (1 + (u % 5))]),
      ),
    ).flat();
    const users = Array.from({ length: 12 }, (_, u) => [...new Set(crowd.filter((s) => s.userId === `u${u}`).map((s) => s.recipeId))]);
    const shared = coInteractions(crowd);
    for (const items of users) {
      const fresh = coInteractions(crowd).scores(items);
      const scores = shared.scores(items);
      const asMap = new Map(dishes.filter((d) => scores.has(d)).map((d) => [d, scores.get(d)!]));
      expect(asMap.size).toBe(scores.size);
      expect(asMap.size).toBeGreaterThan(10);
      for (const d of dishes) expect(scores.get(d)).toBe(fresh.get(d));
      for (const own of items) expect(scores.has(own)).toBe(false);
      expect(Math.max(...asMap.values())).toBe(1);
      expect(scores.best(10)).toEqual(bestFirst(asMap, 10));
      expect(scores.best()).toEqual(bestFirst(asMap));
    }
  });
});
