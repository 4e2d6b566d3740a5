import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { RECIPE_SOURCES } from '../recipe.types';
import { RecipeImporterRegistry } from './importer.registry';
import { RecipeJsonImporter } from './recipe-json.importer';
import { loadBundledSeed } from './seed-loader';
import { SEED_DIR, seedPath } from '../../../test/fixtures/seed-paths';

describe('RecipeImporterRegistry', () => {
  const registry = new RecipeImporterRegistry();

  it.each([
    [seedPath('howtocook'), 'howtocook'],
    [seedPath('howtocook', 'dishes', 'soup'), 'howtocook'],
    [seedPath('howtocook', 'dishes', 'meat_dish', '冷吃兔.md'), 'howtocook'],
    [seedPath('yunyoujun-cook'), 'yunyoujun-cook'],
    [seedPath('yunyoujun-cook', 'recipe.csv'), 'yunyoujun-cook'],
    [seedPath('indian-food-101'), 'indian-food-101'],
    [seedPath('indian-food-101', 'indian_food.csv'), 'indian-food-101'],
    [seedPath('italian-giallozafferano'), 'italian-giallozafferano'],
    [seedPath('italian-giallozafferano', 'CSV'), 'italian-giallozafferano'],
    [seedPath('italian-giallozafferano', 'CSV', 'recipes.csv'), 'italian-giallozafferano'],
  ])('detects the format of %s', (path, source) => {
    expect(registry.forPath(path).source).toBe(source);
  });

  it('finds importers by source and fails clearly otherwise', () => {
    for (const source of RECIPE_SOURCES) expect(registry.bySource(source).source).toBe(source);
    expect(() => registry.bySource('nope')).toThrow(/No importer for source "nope"/);
    expect(() => registry.forPath(join(SEED_DIR, 'missing'))).toThrow(/path not found/);
    expect(() => registry.forPath(seedPath('howtocook', 'LICENSE'))).toThrow(/Unrecognised recipe format/);
  });
});

describe('RecipeJsonImporter', () => {
  const importer = new RecipeJsonImporter();
  const write = (content: unknown): string => {
    const file = join(mkdtempSync(join(tmpdir(), 'recipe-json-')), 'recipes.json');
    writeFileSync(file, JSON.stringify(content));
    return file;
  };
  const good = { name: 'Toast', source: 'mine', sourceId: 't1', ingredients: [{ name: 'bread' }] };

  it('reads an array or a { recipes } object and reports bad rows by index', async () => {
    const file = write({
      recipes: [good, { name: 'No id', source: 'mine', ingredients: [{ name: 'x' }] }, { ...good, ingredients: [] }, good],
    });
    expect(new RecipeImporterRegistry().forPath(file).source).toBe('recipe-json');
    const result = await importer.import(file);
    expect(result.recipes).toEqual([good]);
    expect(result.skipped).toEqual([
      { file, index: 1, reason: 'recipes[1]: missing or invalid sourceId' },
      { file, index: 2, reason: 'recipes[2]: missing or invalid ingredients' },
    ]);
    expect(result.duplicates).toEqual([{ file, index: 3, reason: 'recipes[3]: same source and sourceId as recipes[0]' }]);
    expect((await importer.import(write([good]))).recipes).toEqual([good]);
  });

  it('reports a file that is not JSON instead of throwing', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'recipe-json-')), 'broken.json');
    writeFileSync(file, '{ not json');
    const result = await importer.import(file);
    expect(result.recipes).toEqual([]);
    expect(result.skipped[0].reason).toMatch(/not valid JSON/);
  });
});

describe('loadBundledSeed', () => {
  it('imports the four bundled sources with stable results', async () => {
    const first = await loadBundledSeed();
    const counts = Object.fromEntries(first.map((r) => [r.source, r.recipes.length]));
    // README: 368 / 599 / 255 / 101. YunYouJun has 599 rows of which 2 repeat a dish; see csv-importers.spec.
    expect(counts).toEqual({ howtocook: 368, 'yunyoujun-cook': 597, 'indian-food-101': 255, 'italian-giallozafferano': 101 });
    const second = await loadBundledSeed(SEED_DIR);
    expect(second).toEqual(first);
    for (const result of first) {
      const ids = result.recipes.map((r) => r.sourceId);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});
