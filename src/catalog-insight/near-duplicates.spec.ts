import {
  duplicateGroups,
  DuplicateCandidate,
  findDuplicatePairs,
  mergeSuggestion,
  withGroupSurvivors,
  nameGramWeights,
  nameSimilarity,
} from './near-duplicates';
import { normalized } from './spherical-kmeans';

function candidate(id: string, overrides: Partial<DuplicateCandidate> = {}): DuplicateCandidate {
  return {
    id,
    name: id,
    source: 'a',
    language: 'zh',
    nameKey: id,
    vector: normalized([1, 0, 0]),
    ingredients: ['tomato', 'egg'],
    nameConcepts: [],
    family: 1,
    completeness: { ingredientLines: 3, resolvedShare: 1, steps: 3, hasTime: false, hasDescription: false },
    ...overrides,
  };
}

// As in the bundled catalog, where about one name in ten starts with 空气炸锅 (air fryer).
const AIR_FRIED = ['炸鸡翅', '烤排骨', '烤猪蹄', '炸薯条', '烤鸡腿', '炸豆腐', '烤茄子', '烤蘑菇', '炸包菜', '烤面包'];
const OTHERS = ['番茄炒蛋', '西红柿炒鸡蛋', '红烧肉', '红烧鱼', '宫保鸡丁', '麻婆豆腐', '蒜蓉西兰花', '酸辣土豆丝', '可乐鸡翅', '地三鲜'];
const weight = nameGramWeights([
  ...AIR_FRIED.map((n) => `空气炸锅${n}`),
  ...OTHERS,
  ...OTHERS.map((n) => `${n}饭`),
  ...OTHERS.map((n) => `家常${n}`),
]);

describe('near-duplicates', () => {
  it('proposes the same name from two sources even when one lists only the main ingredient', async () => {
    const full = candidate('h', {
      name: '宫保鸡丁',
      nameKey: '宫保鸡丁',
      source: 'howtocook',
      ingredients: ['chicken', 'peanut', 'dried-chili', 'scallion'],
    });
    const short = candidate('y', {
      name: '宫保鸡丁',
      nameKey: '宫保鸡丁',
      source: 'yunyoujun',
      ingredients: ['chicken', 'cucumber'],
      vector: normalized([0.6, 0.8, 0]),
      completeness: { ingredientLines: 2, resolvedShare: 1, steps: 1, hasTime: false, hasDescription: false },
    });
    const [pair] = await findDuplicatePairs([full, short], weight);
    expect(pair).toMatchObject({ keep: 'h', drop: 'y', crossSource: true });
    expect(pair.reason).toContain('more steps (3 vs 1)');
  });

  it('tells dishes of one kind apart by the rare words of their names', async () => {
    const ribs = candidate('r', { nameKey: '空气炸锅烤排骨', ingredients: ['pork'] });
    const trotters = candidate('t', { nameKey: '空气炸锅烤猪蹄', ingredients: ['pork'] });
    expect(await findDuplicatePairs([ribs, trotters], weight)).toEqual([]);
    expect(nameSimilarity('空气炸锅烤排骨', '空气炸锅烤猪蹄', weight)).toBeLessThan(0.5);
  });

  it('matches names across languages by the ingredients they name, when the dishes agree', async () => {
    const zh = candidate('z', { nameKey: '番茄炒蛋', nameConcepts: ['tomato', 'egg'] });
    const en = candidate('e', { language: 'en', nameKey: 'tomatoeggstirfry', nameConcepts: ['tomato', 'egg'] });
    const other = candidate('o', {
      language: 'en',
      nameKey: 'eggcurry',
      nameConcepts: ['egg'],
      ingredients: ['egg', 'onion'],
      vector: normalized([0.5, 0.5, 0.7]),
    });
    const pairs = await findDuplicatePairs([zh, en, other], weight);
    expect(pairs.map((p) => [p.a, p.b])).toEqual([['e', 'z']]);
  });

  it('never compares recipes of different families with different names', async () => {
    const a = candidate('a', { nameKey: '番茄炒蛋', family: 1 });
    const b = candidate('b', { nameKey: '番茄炒蛋呀', family: 2 });
    expect(await findDuplicatePairs([a, b], weight)).toEqual([]);
  });

  it('offers to pause every few dozen comparisons', async () => {
    // 100 recipes of one name in one family share its name bigrams: 4,950 comparisons, all by all.
    const same = Array.from({ length: 100 }, (_, i) => candidate(`s${String(i).padStart(3, '0')}`, { nameKey: '番茄炒蛋' }));
    let pauses = 0;
    await findDuplicatePairs(same, weight, {
      pause: async () => {
        pauses++;
      },
    });
    // At least one chance to pause per 100 comparisons (each up to ~90 µs on a real catalog).
    expect(pauses).toBeGreaterThanOrEqual(4950 / 100);
  });

  it('keeps the record with more to offer and says why', () => {
    const rich = candidate('b', {
      completeness: { ingredientLines: 9, resolvedShare: 0.9, steps: 8, hasTime: true, hasDescription: true },
    });
    const poor = candidate('a', {
      completeness: { ingredientLines: 1, resolvedShare: 1, steps: 0, hasTime: false, hasDescription: false },
    });
    const merge = mergeSuggestion(poor, rich);
    expect(merge.keep).toBe('b');
    expect(merge.reason).toMatch(/more steps \(8 vs 0\).*has a cooking time.*has a description/);
  });

  it('joins pairs into groups', () => {
    const pair = (a: string, b: string) => ({
      a,
      b,
      score: 1,
      evidence: { vector: 1, ingredients: 1, name: 1 },
      crossSource: false,
      keep: a,
      drop: b,
      reason: '',
    });
    expect(duplicateGroups([pair('a', 'b'), pair('b', 'c'), pair('x', 'y')])).toEqual([
      ['a', 'b', 'c'],
      ['x', 'y'],
    ]);
  });
});

describe('withGroupSurvivors', () => {
  const completeness = (steps: number) => ({ ingredientLines: 5, resolvedShare: 1, steps, hasTime: true, hasDescription: false });
  const steps: Record<string, number> = { a: 9, b: 5, c: 1, x: 2, y: 4 };
  const pair = (a: string, b: string) => ({
    a,
    b,
    score: 0.9,
    evidence: { vector: 1, ingredients: 1, name: 1 },
    crossSource: false,
    // Decided pair by pair: b is kept over c but dropped for a.
    ...(steps[a] >= steps[b] ? { keep: a, drop: b } : { keep: b, drop: a }),
    reason: '',
  });

  it('names one record to keep in every pair of a group, the most complete, and drops each other record', () => {
    const pairs = withGroupSurvivors([pair('a', 'b'), pair('b', 'c'), pair('x', 'y')], (id) => completeness(steps[id]));
    expect(pairs.map((p) => [p.keep, p.drop])).toEqual([
      ['a', 'b'],
      ['a', 'c'],
      ['y', 'x'],
    ]);
    expect(pairs[1].reason).toContain('more steps (9 vs 1)');
  });
});
