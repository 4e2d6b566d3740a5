import { dedupeIngredients, extractNotes, slugify, splitOutsideBrackets, stripBom } from './ingredient-text';
import { isKitchenTool } from './kitchen-tools';
import { parseProseMinutes } from './prose-duration';

describe('ingredient text normalisation', () => {
  it('removes full-width, half-width and unclosed notes', () => {
    expect(extractNotes('糖（可选）')).toEqual({ text: '糖', notes: ['可选'] });
    expect(extractNotes('牛腩(挑选肥瘦相间的)')).toEqual({ text: '牛腩', notes: ['挑选肥瘦相间的'] });
    expect(extractNotes('32 厘米以上的炒锅一个(锅太小难炒')).toEqual({ text: '32 厘米以上的炒锅一个', notes: ['锅太小难炒'] });
  });

  it('splits lists but not inside notes', () => {
    expect(splitOutsideBrackets('盐、鸡精，蚝油')).toEqual(['盐', '鸡精', '蚝油']);
    expect(splitOutsideBrackets('风味调料（如鸡粉、孜然，可选）')).toEqual(['风味调料（如鸡粉、孜然，可选）']);
  });

  it('dedupes within a recipe, keeping a quantity and preferring required', () => {
    expect(
      dedupeIngredients([
        { name: '盐', optional: true },
        { name: '盐', quantity: '2g' },
      ]),
    ).toEqual([{ name: '盐', quantity: '2g' }]);
  });

  it('strips a BOM and slugs names', () => {
    expect(stripBom('\uFEFFname')).toBe('name');
    expect(slugify('Chicken Tikka masala')).toBe('chicken-tikka-masala');
  });

  it('tells tools from food', () => {
    for (const tool of ['锅', '炒锅', '厨房纸', '1 个小碗', '菜刀一个', '搅拌机', '温度计', '保鲜膜'])
      expect(isKitchenTool(tool)).toBe(true);
    for (const food of ['盐', '火锅底料', '锅巴', '鸡蛋', '北京二锅头酒', '午餐肉罐头']) expect(isKitchenTool(food)).toBe(false);
  });

  it('reads a total time from prose only when it is stated reliably', () => {
    expect(parseProseMinutes('从头备菜到盛盘出锅大约只需 15 分钟。')).toBe(15);
    expect(parseProseMinutes('从拌馅到出锅大约需要一小时。')).toBe(60);
    expect(parseProseMinutes('从煮蛋到冷藏入味大约需要一个半小时。')).toBe(90);
    expect(parseProseMinutes('实际动手仅需 5 分钟，加上煮饭总共约 40 分钟即可享用。')).toBe(40);
    expect(parseProseMinutes('预计备菜 7 分钟，烹饪 10 分钟，总共约 17 分钟就能出锅。')).toBe(17);
    expect(parseProseMinutes('煮制到完成大约需要 3-4 小时')).toBeUndefined();
    expect(parseProseMinutes('需提前浸泡 8 小时。')).toBeUndefined();
    expect(parseProseMinutes('味道鲜美。')).toBeUndefined();
  });
});
