import { RecipesService, stableRecipeId } from '../src/recipes/recipes.service';
import { CatalogSnapshotService } from '../src/search/catalog-snapshot.service';
import { createTestApp, TestApp } from './support/test-app';

describe('Catalog snapshot beside a large reload', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ seed: { source: 'italian-giallozafferano' } });
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });

  it('shows a recipe created while a large import is still being analysed, and the import once it lands', async () => {
    const snapshot = t.app.get(CatalogSnapshotService);
    const recipes = t.app.get(RecipesService);
    await snapshot.current();

    // Hold the background reload until the new recipe has been looked for.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const reloader = snapshot as unknown as { reloadInSlices: (...args: unknown[]) => Promise<void> };
    const real = reloader.reloadInSlices.bind(snapshot);
    const spy = jest.spyOn(reloader, 'reloadInSlices').mockImplementation(async (...args: unknown[]) => {
      await held;
      return real(...args);
    });

    const imported = Array.from({ length: 250 }, (_, i) => ({
      name: `Imported dish ${i}`,
      source: 'import-test',
      sourceId: `d${i}`,
      ingredients: [{ name: 'tomato' }, { name: i % 2 ? 'basil' : 'garlic' }],
    }));
    await recipes.upsertMany(imported);
    snapshot.invalidate();
    const before = await snapshot.current();
    expect(spy).toHaveBeenCalled();
    expect(before.has(stableRecipeId('import-test', 'd0'))).toBe(false);

    const created = await recipes.create({
      name: 'Created during the reload',
      source: 'import-test',
      sourceId: 'late',
      ingredients: [{ name: 'rice' }],
    });
    snapshot.invalidate();
    expect((await snapshot.current()).has(created.id)).toBe(true);

    release();
    for (let i = 0; i < 100 && (await snapshot.current()).size < before.size + 251; i++) {
      snapshot.invalidate();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const after = await snapshot.current();
    expect(after.size).toBe(before.size + 251);
    expect(after.has(created.id)).toBe(true);
  }, 60_000);
});
