import { dishKey, foldSameDish } from './dish-identity';

describe('dish identity', () => {
  it('ignores case, spaces, punctuation and bracketed notes', () => {
    expect(dishKey('年轮蛋糕（难度max）')).toBe(dishKey('年轮蛋糕'));
    expect(dishKey('Gulab  Jamun!')).toBe(dishKey('gulab jamun'));
    expect(dishKey('宫保鸡丁')).not.toBe(dishKey('宫保虾球'));
  });

  it('keeps the best-ranked copy of a dish, reports the others and drops blocked dishes', () => {
    const ranked = [
      { id: '1', name: '回锅肉', source: 'howtocook' },
      { id: '2', name: '宫保鸡丁', source: 'yunyoujun-cook' },
      { id: '3', name: '回锅肉', source: 'yunyoujun-cook' },
      { id: '4', name: '小炒肉', source: 'howtocook' },
    ];
    const folded = foldSameDish(ranked, new Set([dishKey('宫保鸡丁')]));
    expect(folded.map((f) => f.item.id)).toEqual(['1', '4']);
    expect(folded[0].alsoIn).toEqual([{ id: '3', source: 'yunyoujun-cook' }]);
  });
});
