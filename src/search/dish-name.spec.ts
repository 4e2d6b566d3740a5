import { DishNameIndex, dishNameKey } from './dish-name';

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
    const tiers = index.match(dishNameKey('Kung Pao Chicken'), { exactKeys: ['宫保鸡丁'], containment: false });
    expect([...tiers]).toEqual([
      ['a', 2],
      ['b', 2],
    ]);
  });

  it('matches names containing a short query, and names of three or more characters inside the query', () => {
    expect(index.match('宫保', { containment: true })).toEqual(new Map([['b', 1], ['a', 1], ['c', 1]]));
    const long = index.match(dishNameKey('番茄炒蛋的家常做法'), { containment: true });
    expect(long.get('d')).toBe(1);
    expect(long.has('e')).toBe(false);
  });

  it('matches nothing for an empty key or without containment', () => {
    expect(index.match('', { containment: true }).size).toBe(0);
    expect(index.match('宫保', { containment: false }).size).toBe(0);
  });
});
