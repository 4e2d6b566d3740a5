import { RecipeInput } from '../recipe.types';
import { HowToCookMarkdownImporter } from './howtocook-markdown.importer';
import { ImportResult } from './importer.types';
import { isKitchenTool } from './kitchen-tools';
import { seedPath } from '../../../test/fixtures/seed-paths';

describe('HowToCookMarkdownImporter on seed/howtocook', () => {
  const importer = new HowToCookMarkdownImporter();
  let result: ImportResult;
  const dish = (sourceId: string): RecipeInput => {
    const found = result.recipes.find((recipe) => recipe.sourceId === sourceId);
    if (!found) throw new Error(`no dish ${sourceId}`);
    return found;
  };

  beforeAll(async () => {
    result = await importer.import(seedPath('howtocook'));
  });

  it('imports every one of the 368 dish files and skips none', () => {
    expect(result.recipes).toHaveLength(368);
    expect(result.skipped).toEqual([]);
    expect(result.duplicates).toEqual([]);
  });

  it('uses the path below the repository folder as a stable sourceId', async () => {
    const again = await importer.import(seedPath('howtocook'));
    expect(again.recipes.map((r) => r.sourceId)).toEqual(result.recipes.map((r) => r.sourceId));
    expect(again.recipes).toEqual(result.recipes);
    expect(result.recipes.map((r) => r.sourceId)).toContain('dishes/meat_dish/冷吃兔.md');
    expect(result.recipes.map((r) => r.sourceId)).toContain('dishes/meat_dish/宫保鸡丁/宫保鸡丁.md');
  });

  it('gives a single file the same sourceId as the folder import', async () => {
    const single = await importer.import(seedPath('howtocook', 'dishes', 'meat_dish', '冷吃兔.md'));
    expect(single.recipes).toHaveLength(1);
    expect(single.recipes[0]).toEqual(dish('dishes/meat_dish/冷吃兔.md'));
  });

  it('reads name, difficulty, calories, prose time, category and tags', () => {
    const rabbit = dish('dishes/meat_dish/冷吃兔.md');
    expect(rabbit).toMatchObject({
      name: '冷吃兔',
      source: 'howtocook',
      difficulty: 4,
      calories: 590,
      totalMinutes: 90, // "从备料到炒制完成约需 1.5 小时"
      category: 'meat-dish',
      tags: ['荤菜'],
      cuisine: 'chinese',
      language: 'zh',
    });
    expect(rabbit.description).toMatch(/^这是一道经典的四川自贡盐帮菜/);
    expect(dish('dishes/aquatic/水煮鱼.md').category).toBe('seafood');
  });

  it('keeps tools out of the ingredients and lists them as tools', () => {
    const tofu = dish('dishes/vegetable_dish/葱煎豆腐.md');
    expect(tofu.tools).toEqual(['平底锅']);
    expect(tofu.ingredients.map((i) => i.name)).not.toContain('平底锅');

    // "32 厘米以上的炒锅一个(锅太小难炒" — an unclosed note on a tool.
    const duck = dish('dishes/meat_dish/乡村啤酒鸭.md');
    expect(duck.tools).toEqual(['32 厘米以上的炒锅']);

    // "- 汤匙" is a bullet of its own in 牛排's list: the spoon, not an amount.
    const steak = dish('dishes/meat_dish/牛排/牛排.md');
    expect(steak.tools).toContain('汤匙');
    expect(steak.ingredients.map((i) => i.name)).not.toContain('汤匙');

    const commonTools = ['锅', '炒锅', '平底锅', '厨房纸', '刀', '菜刀', '砧板', '碗', '烤箱', '空气炸锅', '电饭煲', '保鲜膜', '筷子'];
    const leaked = result.recipes.flatMap((r) => r.ingredients.filter((i) => commonTools.includes(i.name) || isKitchenTool(i.name)));
    expect(leaked).toEqual([]);
    expect(result.recipes.filter((r) => r.tools?.length).length).toBeGreaterThan(100);
  });

  it('marks （可选） items and the 可选原料 subsection optional', () => {
    const eggs = dish('dishes/vegetable_dish/西红柿炒鸡蛋.md');
    const byName = Object.fromEntries(eggs.ingredients.map((i) => [i.name, i]));
    expect(Object.keys(byName)).toEqual(['西红柿', '鸡蛋', '食用油', '盐', '糖', '葱花']);
    expect(byName['糖'].optional).toBe(true);
    expect(byName['葱花'].optional).toBe(true);
    expect(byName['盐'].optional).toBeUndefined();

    const kungPao = dish('dishes/meat_dish/宫保鸡丁/宫保鸡丁.md');
    const optional = kungPao.ingredients.filter((i) => i.optional).map((i) => i.name);
    expect(optional).toEqual(['油泼辣子', '莴笋', '生花生', '豆瓣酱']);
    expect(kungPao.ingredients.find((i) => i.name === '手枪腿')?.optional).toBeUndefined();
  });

  it('takes quantities from the 计算 section', () => {
    const eggs = dish('dishes/vegetable_dish/西红柿炒鸡蛋.md');
    expect(eggs.ingredients.find((i) => i.name === '鸡蛋')?.quantity).toBe('1.5 个 * 份数，向上取整');
    expect(eggs.ingredients.find((i) => i.name === '西红柿')?.quantity).toBe('1 个(约 180g) * 份数');
    const rabbit = dish('dishes/meat_dish/冷吃兔.md');
    expect(rabbit.ingredients.find((i) => i.name === '盐')?.quantity).toBe('兔肉斤数 * 2 克');
    // "青椒 2 条，红椒 1 条" is two ingredients with their own amounts.
    const duck = dish('dishes/meat_dish/乡村啤酒鸭.md');
    expect(duck.ingredients.find((i) => i.name === '青椒')?.quantity).toBe('2 条');
    expect(duck.ingredients.find((i) => i.name === '啤酒')?.quantity).toMatch(/^1000 ml/);
  });

  it('gives no ingredient the 计算 line of another one', () => {
    const amount = (sourceId: string, name: string): string | undefined =>
      dish(sourceId).ingredients.find((i) => i.name === name)?.quantity;
    // "油 50g" is the oil's line; 蚝油 has none of its own.
    expect(amount('dishes/meat_dish/新疆大盘鸡/新疆大盘鸡.md', '油')).toBe('50g');
    expect(amount('dishes/meat_dish/新疆大盘鸡/新疆大盘鸡.md', '蚝油')).toBeUndefined();
    // 红烧鱼 lists 油, 酱油 and 蚝油; "酱油 5ml" is the soy sauce's, and no line is the oil's.
    expect(amount('dishes/aquatic/红烧鱼.md', '酱油')).toBe('5ml');
    expect(amount('dishes/aquatic/红烧鱼.md', '油')).toBeUndefined();
    // "牛排 450-500g" is the steak's, not the steak sauce's.
    expect(amount('dishes/meat_dish/牛排/牛排.md', '牛排')).toMatch(/^450-500g/);
    expect(amount('dishes/meat_dish/牛排/牛排.md', '预制牛排酱汁')).toBeUndefined();
    // Of 食用油, 蚝油 and 麻油 only 食用油 is no other ingredient's: it is the oil's.
    expect(amount('dishes/staple/河南蒸面条/河南蒸面条.md', '油')).toBe('10-15ml');
    // "洋葱 50 g" is the onion's, not the scallion's.
    expect(amount('dishes/vegetable_dish/洋葱炒鸡蛋/洋葱炒鸡蛋.md', '葱')).toBeUndefined();
    // A line that alone contains the name still gives it its amount: "食用盐 5 g" for 盐.
    expect(amount('dishes/vegetable_dish/蚝油三鲜菇/蚝油三鲜菇.md', '盐')).toBe('5 g');
    // "油用量为 15ml/人" names the oil ("用量为" is not part of the name).
    expect(amount('dishes/meat_dish/孜然牛肉.md', '油')).toBe('15ml/人');
  });

  it('splits bullets that name several items', () => {
    const kungPao = dish('dishes/meat_dish/宫保鸡丁/宫保鸡丁.md');
    expect(kungPao.ingredients.map((i) => i.name)).toContain('干辣椒'); // "干辣椒（或者二荆条）": note removed
    const withList = result.recipes.find((r) => r.sourceId === 'dishes/staple/炒年糕.md');
    expect(withList?.ingredients.filter((i) => i.optional).map((i) => i.name)).toEqual(['鸡蛋', '青菜']);
  });

  it('turns 操作 into plain steps and 附加内容 into tips without the boilerplate', () => {
    const eggs = dish('dishes/vegetable_dish/西红柿炒鸡蛋.md');
    expect(eggs.steps).toHaveLength(11);
    expect(eggs.steps?.[0]).toBe('西红柿洗净');
    expect(eggs.steps?.[1]).toBe('可选：去掉西红柿的外表皮；开水烫表皮，然后将西红柿放入冷水，剥去外皮');
    const everyText = result.recipes.flatMap((r) => [...(r.steps ?? []), ...((r.extra?.tips as string[]) ?? [])]);
    expect(everyText.filter((text) => /`|!\[|\*\*|如果您遵循本指南/.test(text))).toEqual([]);
    expect(result.recipes.every((r) => !/!\[/.test(r.description ?? ''))).toBe(true);
  });

  it('has the three salt spellings as ingredient names in real dishes', () => {
    const dishesWith = (name: string): string[] =>
      result.recipes.filter((r) => r.ingredients.some((i) => i.name === name)).map((r) => r.sourceId);
    // A later lexicon maps these to one concept; here we only pin that the data really spells salt three ways.
    expect(dishesWith('盐')).toContain('dishes/vegetable_dish/西红柿炒鸡蛋.md');
    expect(dishesWith('食用盐')).toContain('dishes/aquatic/清蒸鲈鱼/清蒸鲈鱼.md');
    expect(dishesWith('食盐')).toContain('dishes/breakfast/茶叶蛋.md');
  });

  it('throws a clear error for a missing path', async () => {
    await expect(importer.import(seedPath('howtocook', 'nope'))).rejects.toThrow(/path not found/);
  });
});
