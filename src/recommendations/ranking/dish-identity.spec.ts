import { dishKey, foldSameDish } from './dish-identity';

describe('dish identity', () => {
  it('keeps the best-ranked copy of a dish, reports the others and drops blocked dishes', () => {
    const ranked = [
      { id: '1', nameKey: dishKey('回锅肉'), source: 'howtocook' },
      { id: '2', nameKey: dishKey('宫保鸡丁'), source: 'yunyoujun-cook' },
      { id: '3', nameKey: dishKey('回锅肉'), source: 'yunyoujun-cook' },
      { id: '4', nameKey: dishKey('小炒肉'), source: 'howtocook' },
    ];
    const folded = foldSameDish(ranked, new Set([dishKey('宫保鸡丁')]));
    expect(folded.map((f) => f.item.id)).toEqual(['1', '4']);
    expect(folded[0].alsoIn).toEqual([{ id: '3', source: 'yunyoujun-cook' }]);
  });

  it('folds a copy with a bracketed note into its dish, and blocks it with the dish', () => {
    const ranked = [
      { id: '1', nameKey: dishKey('番茄炒蛋（简易版）'), source: 'howtocook' },
      { id: '2', nameKey: dishKey('番茄炒蛋'), source: 'yunyoujun-cook' },
      { id: '3', nameKey: dishKey('【家常】回锅肉'), source: 'howtocook' },
    ];
    expect(foldSameDish(ranked).map((f) => [f.item.id, f.alsoIn.map((a) => a.id)])).toEqual([
      ['1', ['2']],
      ['3', []],
    ]);
    expect(foldSameDish(ranked, new Set([dishKey('回锅肉')])).map((f) => f.item.id)).toEqual(['1']);
  });
});
