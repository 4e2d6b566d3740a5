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

  it('follows a bulk written elsewhere while no request comes, so the first search after it sees the bulk', async () => {
    const snapshot = t.app.get(CatalogSnapshotService);
    const recipes = t.app.get(RecipesService);
    await snapshot.current();
    snapshot.startFollowing();
    // Large enough to be analysed in the background: without following, the first request
    // after it would start that reload and be answered from the old view.
    await recipes.upsertMany(
      Array.from({ length: 220 }, (_, i) => ({
        name: `Followed dish ${i}`,
        source: 'follow-test',
        sourceId: `f${i}`,
        ingredients: [{ name: 'rice' }, { name: i % 2 ? 'egg' : 'pea' }],
      })),
    );
    const last = stableRecipeId('follow-test', 'f219');
    // Watch the served view without asking for it (asking would refresh it).
    const served = () => (snapshot as unknown as { view: { has(id: string): boolean } }).view;
    for (let i = 0; i < 150 && !served().has(last); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(served().has(last)).toBe(true);
    expect((await snapshot.current()).has(last)).toBe(true);
  }, 60_000);
});
