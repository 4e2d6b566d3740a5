import { computeInsight, InsightOptions, RecipeFacts, updateInsight } from './catalog-insight';
import { normalized } from './spherical-kmeans';

const options: InsightOptions = {
  nameOf: (id) => ({ zh: id, en: id }),
  facts: { breaksDiets: (c) => (c === 'pork' ? ['vegetarian'] : []), allergensOf: () => [], nameOf: (c) => c },
  k: 2,
};

function facts(id: string, direction: number[], overrides: Partial<RecipeFacts['anomaly']> = {}, nameKey = id): RecipeFacts {
  const concepts = direction[0] > direction[1] ? ['pork', 'braise'] : ['tofu', 'steam'];
  return {
    id,
    name: id,
    source: 's',
    language: 'zh',
    vector: normalized(direction),
    concepts,
    duplicate: {
      nameKey,
      nameConcepts: [],
      ingredients: concepts.slice(0, 1),
      completeness: { ingredientLines: 3, resolvedShare: 1, steps: 2, hasTime: true, hasDescription: false },
    },
    anomaly: {
      name: id,
      language: 'zh',
      category: null,
      tags: [],
      ingredientNames: ['一', '二', '三'],
      resolvedLines: 3,
      ingredientConcepts: concepts.slice(0, 1),
      totalMinutes: 20,
      ...overrides,
    },
  };
}

const catalog = [
  facts('红烧肉', [1, 0.1, 0]),
  facts('东坡肉', [1, 0.15, 0.05]),
  facts('回锅肉', [0.95, 0.1, 0.1]),
  facts('清蒸豆腐', [0.1, 1, 0]),
  facts('麻婆豆腐', [0.15, 1, 0.05]),
  facts('豆腐汤', [0.1, 0.95, 0.1]),
];

describe('catalog insight', () => {
  it('splits the catalog into families named by what sets them apart', async () => {
    const insight = await computeInsight(catalog, options);
    expect(insight.families.map((f) => f.size)).toEqual([3, 3]);
    const pork = insight.families.find((f) => f.members.includes('红烧肉'))!;
    expect(pork.members).toEqual(expect.arrayContaining(['东坡肉', '回锅肉']));
    expect(pork.defining.map((d) => d.id)).toEqual(expect.arrayContaining(['pork', 'braise']));
    expect(insight.recipes.get('麻婆豆腐')!.family).not.toBe(pork.id);
  });

  it('places a recipe added later in its nearest family and checks it, without reclustering', async () => {
    const before = await computeInsight(catalog, options);
    const added = facts('素红烧肉', [1, 0.12, 0.02], { name: '素红烧肉' });
    const after = await updateInsight(before, [added], [], options);
    const pork = after.families.find((f) => f.members.includes('红烧肉'))!;
    expect(after.recipes.get('素红烧肉')!.family).toBe(pork.id);
    expect(pork.size).toBe(4);
    expect(after.recipes.get('素红烧肉')!.anomalies.map((a) => a.code)).toContain('DIET_CONTRADICTION');
    expect(before.recipes.has('素红烧肉')).toBe(false);
  });

  it('drops a deleted recipe and its duplicate pairs', async () => {
    const twin = facts('红烧肉 copy', [1, 0.1, 0], {}, '红烧肉');
    const before = await computeInsight([...catalog, twin], options);
    expect(before.duplicates.some((p) => [p.a, p.b].includes('红烧肉 copy'))).toBe(true);
    const after = await updateInsight(before, [], ['红烧肉 copy'], options);
    expect(after.duplicates.some((p) => [p.a, p.b].includes('红烧肉 copy'))).toBe(false);
    expect(after.recipes.has('红烧肉 copy')).toBe(false);
  });

  it('offers to pause while checking the whole catalog after a change, not only while clustering', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => facts(`菜${i}`, [1 + (i % 7) / 10, (i % 5) / 10, (i % 3) / 10]));
    const before = await computeInsight(many, options);
    let pauses = 0;
    const pause = async () => {
      pauses++;
    };
    await updateInsight(before, [facts('新菜', [1, 0.2, 0])], [], { ...options, pause });
    // Counting work, not time: at least one chance to pause per 100 recipes checked.
    expect(pauses).toBeGreaterThanOrEqual(many.length / 100);
  });
});
