import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { GialloZafferanoCsvImporter, mapGialloDifficulty } from './giallozafferano-csv.importer';
import { IndianFoodCsvImporter } from './indian-food-csv.importer';
import { ImportResult } from './importer.types';
import { seedPath } from '../../../test/fixtures/seed-paths';
import { YunYouJunCsvImporter } from './yunyoujun-csv.importer';

function tempFile(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'recipe-import-')), name);
  writeFileSync(file, content);
  return file;
}

describe('YunYouJunCsvImporter on seed/yunyoujun-cook', () => {
  const importer = new YunYouJunCsvImporter();
  let result: ImportResult;
  beforeAll(async () => {
    result = await importer.import(seedPath('yunyoujun-cook'));
  });

  it('imports 597 dishes from 599 rows, merging the two rows that repeat a dish and its video', () => {
    // The upstream README counts 599 rows. 电饭煲版红烧肉 (lines 12/24) and 番茄土豆炖牛腩 (254/312)
    // each appear twice with the same video and slightly different labels: one recipe each.
    expect(result.recipes).toHaveLength(597);
    expect(result.skipped).toEqual([]);
    expect(result.duplicates.map((d) => d.line)).toEqual([24, 312]);
    const stew = result.recipes.find((r) => r.sourceId === '番茄土豆炖牛腩#BV1344y1n73V');
    expect(stew?.ingredients.map((i) => i.name)).toEqual(['番茄', '土豆', '牛肉', '洋葱']);
    expect(stew?.methods).toEqual(['炖', '煮']);
  });

  it('keys dishes by name and video, so same-named dishes from different videos stay apart', () => {
    const ids = result.recipes.map((r) => r.sourceId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['红烧肉#BV1vk4y127ZB', '红烧肉#BV1MJ411t7pT']));
  });

  it('maps the columns: ingredients, video url, difficulty, tools kept apart', () => {
    const first = result.recipes[0];
    expect(first).toMatchObject({
      name: '电饭煲版广式腊肠煲饭',
      sourceId: '电饭煲版广式腊肠煲饭#BV1NE411Q7Jj',
      ingredients: [{ name: '腊肠' }, { name: '米' }],
      url: 'https://www.bilibili.com/video/BV1NE411Q7Jj',
      extra: { bv: 'BV1NE411Q7Jj' },
      difficulty: 1,
      tags: ['广式'],
      methods: ['煲'],
      tools: ['电饭煲'],
      cuisine: 'chinese',
      language: 'zh',
    });
    expect(first.category).toBeUndefined();
    expect(first.steps).toBeUndefined();
    const toolNames = new Set(result.recipes.flatMap((r) => r.tools ?? []));
    expect(toolNames).toEqual(new Set(['一口大锅', '微波炉', '电饭煲', '烤箱', '空气炸锅']));
    expect(result.recipes.some((r) => r.ingredients.some((i) => toolNames.has(i.name)))).toBe(false);
    const byDifficulty = (d: number | undefined): number => result.recipes.filter((r) => r.difficulty === d).length;
    expect([byDifficulty(1), byDifficulty(2), byDifficulty(4), byDifficulty(5)]).toEqual([217, 170, 30, 9]);
    // 172 blank rows in the file, one of them a merged repeat: left absent, not guessed.
    expect(byDifficulty(undefined)).toBe(171);
  });

  it('skips a malformed row with file and line and keeps the good ones', async () => {
    const file = tempFile(
      'recipe.csv',
      'name,stuff,bv,difficulty,tags,methods,tools,\n' +
        '番茄炒蛋,番茄、鸡蛋,BV1,简单,,炒,一口大锅,\n' +
        ',鸡蛋,BV2,简单,,,,\n' +
        '短行,鸡蛋\n' +
        '蛋炒饭,鸡蛋、米饭,BV3,,,炒,一口大锅,\n',
    );
    const parsed = await importer.import(file);
    expect(parsed.recipes.map((r) => r.name)).toEqual(['番茄炒蛋', '蛋炒饭']);
    expect(parsed.skipped).toEqual([
      { file, line: 3, reason: 'name is empty' },
      { file, line: 4, reason: 'expected 7 columns, found 2' },
    ]);
  });
});

describe('IndianFoodCsvImporter on seed/indian-food-101', () => {
  const importer = new IndianFoodCsvImporter();
  let result: ImportResult;
  beforeAll(async () => {
    result = await importer.import(seedPath('indian-food-101'));
  });

  it('imports 255 dishes and reports the repeated Payasam row once', () => {
    // 256 data rows; line 257 repeats line 151 (Payasam) exactly.
    expect(result.recipes).toHaveLength(255);
    expect(result.skipped).toEqual([]);
    expect(result.duplicates).toEqual([expect.objectContaining({ line: 257, reason: 'repeats line 151 exactly' })]);
    expect(result.recipes.filter((r) => r.name === 'Payasam')).toHaveLength(1);
  });

  it('maps a full row', () => {
    expect(result.recipes.find((r) => r.sourceId === 'balu-shahi')).toEqual({
      name: 'Balu shahi',
      source: 'indian-food-101',
      sourceId: 'balu-shahi',
      ingredients: [{ name: 'Maida flour' }, { name: 'yogurt' }, { name: 'oil' }, { name: 'sugar' }],
      language: 'en',
      cuisine: 'indian',
      diets: ['vegetarian'],
      totalMinutes: 70,
      flavors: ['sweet'],
      category: 'dessert',
      region: 'East',
      tags: ['West Bengal', 'East'],
      extra: { prepMinutes: 45, cookMinutes: 25, state: 'West Bengal' },
    });
  });

  it('leaves -1 values absent', () => {
    const kajuKatli = result.recipes.find((r) => r.name === 'Kaju katli');
    expect(kajuKatli?.region).toBeUndefined();
    expect(kajuKatli?.tags).toBeUndefined();
    const porkBharta = result.recipes.find((r) => r.name === 'Pork Bharta');
    expect(porkBharta?.totalMinutes).toBeUndefined();
    expect(porkBharta?.extra).toEqual({ state: 'Tripura' });
    expect(porkBharta?.diets).toEqual([]);
    const sohanPapdi = result.recipes.find((r) => r.name === 'Sohan papdi');
    // An unknown preparation time makes the total unknown, not the cooking time alone.
    expect(sohanPapdi).toMatchObject({ extra: { cookMinutes: 60 } });
    expect(sohanPapdi?.extra?.prepMinutes).toBeUndefined();
    expect(sohanPapdi?.totalMinutes).toBeUndefined();
    const partlyKnown = result.recipes.filter((r) => (r.extra?.prepMinutes === undefined) !== (r.extra?.cookMinutes === undefined));
    expect(partlyKnown.length).toBeGreaterThan(0);
    expect(partlyKnown.filter((r) => r.totalMinutes !== undefined)).toEqual([]);
    const allValues = JSON.stringify(result.recipes);
    expect(allValues).not.toMatch(/"-1"|:-1\b/);
    expect(new Set(result.recipes.map((r) => r.category))).toEqual(new Set(['dessert', 'main-course', 'snack', 'starter']));
  });

  it('does not let a BOM leak into the first column', async () => {
    const original = await import('fs').then((fs) => fs.readFileSync(seedPath('indian-food-101', 'indian_food.csv'), 'utf8'));
    const file = tempFile('indian_food.csv', `\uFEFF${original}`);
    expect(importer.accepts(file)).toBe(true);
    const withBom = await importer.import(file);
    expect(withBom.recipes).toHaveLength(255);
    expect(withBom.recipes[0].name).toBe('Balu shahi');
  });

  it('skips a malformed row with file and line', async () => {
    const file = tempFile(
      'indian_food.csv',
      'name,ingredients,diet,prep_time,cook_time,flavor_profile,course,state,region\n' +
        'Boondi,"Gram flour, ghee, sugar",vegetarian,80,30,sweet,dessert,Rajasthan,West\n' +
        'Broken,"Rice, milk",vegetarian,soon,30,sweet,dessert,Kerala,South\n' +
        'Short,"Rice"\n',
    );
    const parsed = await importer.import(file);
    expect(parsed.recipes.map((r) => r.name)).toEqual(['Boondi']);
    expect(parsed.skipped).toEqual([
      { file, line: 3, reason: 'prep_time/cook_time must be whole minutes or -1' },
      { file, line: 4, reason: 'expected 9 columns, found 2' },
    ]);
  });
});

describe('GialloZafferanoCsvImporter on seed/italian-giallozafferano', () => {
  const importer = new GialloZafferanoCsvImporter();
  let result: ImportResult;
  beforeAll(async () => {
    result = await importer.import(seedPath('italian-giallozafferano'));
  });

  it('imports the 101 recipes and ignores the empty padding rows', () => {
    expect(result.recipes).toHaveLength(101);
    expect(result.skipped).toEqual([]);
    expect(result.duplicates).toEqual([]);
    expect(result.recipes.map((r) => r.sourceId)).toEqual(Array.from({ length: 101 }, (_, i) => String(i + 1)));
  });

  it('reads a recipe: Italian name, English ingredients, category, difficulty, methods, classes', () => {
    const carbonara = result.recipes[0];
    expect(carbonara).toMatchObject({
      name: 'Spaghetti alla Carbonara',
      sourceId: '1',
      url: 'https://ricette.giallozafferano.it/Spaghetti-alla-Carbonara',
      category: 'first-course',
      difficulty: 2,
      totalMinutes: 25,
      methods: ['Boiling', 'Browning', 'Mixing'],
      language: 'en',
      cuisine: 'italian',
    });
    expect(carbonara.ingredients.map((i) => i.name)).toEqual(['Spaghetti', 'Eggs', 'Black Pepper', 'Guanciale', 'Pecorino Cheese']);
    expect(carbonara.ingredients[0].quantity).toBe('weight 5');
    expect(carbonara.extra).toMatchObject({ cost: 2, sourceDifficulty: 2 });
    expect((carbonara.extra?.ingredientDetails as Array<Record<string, unknown>>)[3]).toEqual({
      name: 'Guanciale',
      id: 117,
      weight: 3,
      class: 'Pork Meat',
      metaclass: 'Meat',
    });
    expect(result.recipes.find((r) => r.name === 'Spezzatino con piselli')?.category).toBe('second-course');
    expect(new Set(result.recipes.map((r) => r.category))).toEqual(
      new Set(['starter', 'complete-meal', 'first-course', 'second-course', 'savoury-cake']),
    );
  });

  it('spreads difficulty 1–4 over 1–5', () => {
    expect([1, 2, 3, 4].map(mapGialloDifficulty)).toEqual([1, 2, 4, 5]);
  });

  it('skips a malformed row with file and line', async () => {
    const header = 'Name;ID;Link;Category Name;Category ID;Cost;Difficulty;Preparation Time;Ingredient;Ingredient ID;W';
    const file = tempFile(
      'recipes.csv',
      `\uFEFF${header}\r\nPasta;1;https://x;First Course;3;2;2;25;Spaghetti;234;5\r\nBad;two;https://y;First Course;3;2;2;25;Eggs;90;3\r\n;;;;;;;;;;\r\n`,
    );
    const parsed = await importer.import(file);
    expect(parsed.recipes.map((r) => r.name)).toEqual(['Pasta']);
    expect(parsed.skipped).toEqual([{ file, line: 3, reason: 'ID "two" is not a whole number' }]);
  });
});
