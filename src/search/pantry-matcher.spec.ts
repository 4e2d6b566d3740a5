import { FoodLexicon } from '../text/food-lexicon';
import { SeededRandom } from '../common/seeded-random';
import { comparePantryCandidates, PantryCandidate, PantryMatcher, sortHead } from './pantry-matcher';

describe('PantryMatcher', () => {
  const matcher = new PantryMatcher(FoodLexicon.load(undefined));
  const tomatoEgg = [
    { name: '西红柿', concept: 'tomato' },
    { name: '鸡蛋', concept: 'egg' },
    { name: '盐', concept: 'salt' },
    { name: '食用油', concept: 'cooking-oil' },
    { name: '葱花', concept: 'scallion', optional: true },
  ];

  it('never counts staples or optional lines as missing', () => {
    const match = matcher.match(['egg', 'tomato'], tomatoEgg);
    expect(match).toMatchObject({ missingCount: 0, missingIngredients: [], coveredIngredients: ['西红柿', '鸡蛋'] });
    expect(match.used.sort()).toEqual(['egg', 'tomato']);
  });

  it('lists what is missing by the recipe’s own names, a concept once', () => {
    const match = matcher.match(['egg'], [...tomatoEgg, { name: '番茄块', concept: 'tomato' }, { name: '秘制酱' }]);
    expect(match.missingCount).toBe(2);
    expect(match.missingIngredients).toEqual(['西红柿', '番茄块', '秘制酱']);
  });

  it('lets a learned pantry item cover the unresolved lines it names, and only those', () => {
    const pozole = [{ name: 'pork shoulder', concept: 'pork' }, { name: '2 cups hominy, drained' }, { name: 'Tomatillos' }];
    const match = matcher.match(['pork', 'learned:hominy'], pozole);
    expect(match).toMatchObject({ missingCount: 1, missingIngredients: ['Tomatillos'] });
    expect(match.coveredIngredients).toEqual(['pork shoulder', '2 cups hominy, drained']);
    expect(match.used.sort()).toEqual(['learned:hominy', 'pork']);
    expect(matcher.match(['pork'], pozole).missingCount).toBe(2);
  });

  it('follows the hierarchy both ways', () => {
    expect(matcher.match(['chicken'], [{ name: '鸡胸肉', concept: 'chicken-offal' }]).missingCount).toBe(0);
    expect(matcher.match(['chicken-offal'], [{ name: '鸡肉', concept: 'chicken' }]).missingCount).toBe(0);
    expect(matcher.match(['beef'], [{ name: '鸡肉', concept: 'chicken' }]).missingCount).toBe(1);
  });

  it('orders by fewest missing, then most used, then similarity, then id', () => {
    const m = (missingCount: number, used: number) => ({
      missingCount,
      used: Array(used).fill('x'),
      missingIngredients: [],
      coveredIngredients: [],
    });
    const list = [
      { id: 'd', match: m(1, 2) },
      { id: 'c', match: m(0, 1) },
      { id: 'b', match: m(0, 2), similarity: 0.5 },
      { id: 'a', match: m(0, 2), similarity: 0.9 },
      { id: 'e', match: m(0, 2), similarity: 0.5 },
    ];
    expect(list.sort(comparePantryCandidates).map((c) => c.id)).toEqual(['a', 'b', 'e', 'c', 'd']);
  });
});

describe('sortHead', () => {
  it('puts the same first places, ties with the last of them included, as a full sort', () => {
    const rng = new SeededRandom(5);
    for (let round = 0; round < 50; round++) {
      const candidates: PantryCandidate[] = Array.from({ length: 1 + rng.nextInt(400) }, (_, i) => ({
        id: `r${String(i).padStart(4, '0')}`,
        match: {
          missingCount: rng.nextInt(6),
          used: Array.from({ length: 1 + rng.nextInt(3) }, (_, j) => `c${j}`),
          missingIngredients: [],
          coveredIngredients: [],
        },
      }));
      const end = 1 + rng.nextInt(30);
      const full = [...candidates].sort(comparePantryCandidates);
      sortHead(candidates, end);
      expect(candidates.map((c) => c.id).sort()).toEqual(full.map((c) => c.id).sort());
      expect(candidates.slice(0, end).map((c) => c.id)).toEqual(full.slice(0, end).map((c) => c.id));
      // Everything tied with the last place is sorted into the head as well.
      const last = full[Math.min(end, full.length) - 1];
      const tied = full.filter((c) => c.match.missingCount === last.match.missingCount && c.match.used.length === last.match.used.length);
      const headIds = new Set(candidates.slice(0, full.indexOf(tied[tied.length - 1]) + 1).map((c) => c.id));
      for (const c of tied) expect(headIds.has(c.id)).toBe(true);
    }
  });
});
