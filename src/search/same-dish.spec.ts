import { foldSameDishes } from './same-dish';

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
