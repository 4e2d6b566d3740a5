import { dishKey, foldSameDishes } from './same-dish';

describe('foldSameDishes', () => {
  it('keeps the best-ranked recipe of a name and folds the others into it, in rank order', () => {
    const folded = foldSameDishes([
      { id: '1', source: 'a', nameKey: '番茄炒蛋' },
      { id: '2', source: 'a', nameKey: '宫保鸡丁' },
      { id: '3', source: 'b', nameKey: '番茄炒蛋' },
      { id: '4', source: 'c', nameKey: '' },
      { id: '5', source: 'c', nameKey: '' },
    ]);
    expect(folded.map((g) => [g.lead.id, g.others.map((o) => o.id)])).toEqual([
      ['1', ['3']],
      ['2', []],
      ['4', []],
      ['5', []],
    ]);
  });
});

describe('dishKey (the one "same dish" rule)', () => {
  it('ignores case, full/half width, spaces and punctuation', () => {
    expect(dishKey(' 宫保 鸡丁 ')).toBe('宫保鸡丁');
    expect(dishKey('Gulab  Jamun!')).toBe(dishKey('gulab jamun'));
    expect(dishKey('ＫＦＣ鸡翅')).toBe('kfc鸡翅');
    expect(dishKey('宫保鸡丁')).not.toBe(dishKey('宫保虾球'));
  });

  it('reads traditional characters as simplified ones', () => {
    expect(dishKey('宮保雞丁（家常版）')).toBe(dishKey('宫保鸡丁'));
    expect(dishKey('牛肉麵')).toBe(dishKey('牛肉面'));
  });

  it('strips bracketed notes in either width and any bracket kind', () => {
    expect(dishKey('番茄炒蛋（简易版）')).toBe('番茄炒蛋');
    expect(dishKey('番茄炒蛋(简易版)')).toBe('番茄炒蛋');
    expect(dishKey('Tomato Egg Stir-fry (easy version)')).toBe(dishKey('tomato egg stir fry'));
    expect(dishKey('【家常】红烧肉')).toBe('红烧肉');
    expect(dishKey('红烧肉［改良］')).toBe('红烧肉');
    expect(dishKey('年轮蛋糕（难度max（真的））')).toBe('年轮蛋糕');
  });

  it('keeps the words of a name that is nothing but a note, so it stays a dish of its own', () => {
    expect(dishKey('（简易版）')).toBe('简易版');
    expect(dishKey('!!!')).toBe('');
  });

  it('lets foldSameDishes fold a noted copy into its dish', () => {
    const folded = foldSameDishes(
      ['番茄炒蛋', '番茄炒蛋（简易版）', '宫保鸡丁'].map((name, i) => ({ id: String(i), source: 's', nameKey: dishKey(name) })),
    );
    expect(folded.map((g) => [g.lead.id, g.others.map((o) => o.id)])).toEqual([
      ['0', ['1']],
      ['2', []],
    ]);
  });
});
