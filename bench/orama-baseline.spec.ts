import { OramaCatalog, OramaRecipe } from '../eval/baselines/orama-catalog';
import { parseOramaArgs } from './orama-baseline';

const recipe = (id: string, name: string, minutes: number | null, diets: string[] = []): OramaRecipe => ({
  id,
  name,
  ingredients: ['鸡蛋', 'egg'],
  tags: [],
  category: null,
  cuisine: id.startsWith('in') ? 'indian' : null,
  diets,
  totalMinutes: minutes,
});

describe('the Orama baseline', () => {
  const catalog = OramaCatalog.build([
    recipe('zh1', '番茄炒蛋', 10, ['vegetarian']),
    recipe('zh2', '番茄牛腩', 90),
    recipe('in1', 'Egg curry', 25, ['vegetarian', 'gluten-free']),
    recipe('in2', 'Egg bhurji', null, ['vegetarian']),
  ]);

  it('finds Chinese names by their words and applies the filters it can express', () => {
    expect(catalog.search('番茄', 10).sort()).toEqual(['zh1', 'zh2']);
    expect(catalog.search('番茄', 10, { maxMinutes: 30 })).toEqual(['zh1']);
    expect(catalog.search('egg', 10, { diet: 'vegetarian,gluten-free' })).toEqual(['in1']);
    expect(catalog.search('egg', 10, { cuisine: 'indian', maxMinutes: 60 })).toEqual(['in1']);
  });

  it('reads its options and refuses what it does not know', () => {
    expect(parseOramaArgs(['--scale', '1000'])).toBeNull();
    expect(parseOramaArgs(['--orama', '37k'])).toEqual({ recipes: 37_000, seconds: 15 });
    expect(parseOramaArgs(['--orama', '100000', '--seconds', '5'])).toEqual({ recipes: 100_000, seconds: 5 });
    expect(() => parseOramaArgs(['--orama', 'lots'])).toThrow(/usage/);
    expect(() => parseOramaArgs(['--orama', '1000', '--verbose'])).toThrow(/usage/);
  });
});
