import { DataSource } from 'typeorm';
import { execute } from '../src/database/sql';
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
    await recipes.upsertMany(twoIngredientDishes(220, 'follow-test', 'f', 'Followed dish', 'rice', ['pea', 'egg']));
    const last = stableRecipeId('follow-test', 'f219');
    // Watch the served view without asking for it (asking would refresh it).
    const served = () => (snapshot as unknown as { view: { has(id: string): boolean } }).view;
    for (let i = 0; i < 150 && !served().has(last); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(served().has(last)).toBe(true);
    expect((await snapshot.current()).has(last)).toBe(true);
  }, 60_000);

  it('shows the first recipe written after a large bulk at once, without reading the bulk again', async () => {
    const snapshot = t.app.get(CatalogSnapshotService);
    const recipes = t.app.get(RecipesService);
    await recipes.upsertMany(twoIngredientDishes(240, 'boundary-test', 'b', 'Boundary dish', 'tomato', ['leek', 'onion']));
    const last = stableRecipeId('boundary-test', 'b239');
    for (let i = 0; i < 150 && !(await snapshot.current()).has(last); i++) {
      snapshot.invalidate();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await snapshot.current()).has(last)).toBe(true);

    // The bulk's rows share the version's timestamp; reading them again would be a large
    // change, analysed in the background while the old view (without the new recipe) serves.
    const reloads = jest.spyOn(snapshot as unknown as { reloadInSlices: () => Promise<void> }, 'reloadInSlices');
    reloads.mockClear();
    const created = await recipes.create({
      name: 'Written right after the bulk',
      source: 'boundary-test',
      sourceId: 'after',
      ingredients: [{ name: 'rice' }],
    });
    snapshot.invalidate();
    expect((await snapshot.current()).has(created.id)).toBe(true);
    expect(reloads).not.toHaveBeenCalled();
  }, 60_000);

  it('still notices a row of the last timestamp rewritten within the same timestamp', async () => {
    const snapshot = t.app.get(CatalogSnapshotService);
    const recipes = t.app.get(RecipesService);
    await recipes.upsertMany(
      ['p0', 'p1'].map((sourceId) => ({
        name: `Same-stamp dish ${sourceId}`,
        source: 'stamp-test',
        sourceId,
        ingredients: [{ name: 'egg' }],
      })),
    );
    snapshot.invalidate();
    const id = stableRecipeId('stamp-test', 'p1');
    expect((await snapshot.current()).get(id)?.summary.name).toBe('Same-stamp dish p1');

    // Another write in the same millisecond as the bulk (same timestamp, other content), then a
    // later one that moves the catalog's version on.
    await execute(
      t.app.get(DataSource),
      `UPDATE recipes SET name = 'Renamed in the same millisecond', content_hash = 'rewritten' WHERE id = ?`,
      [id],
    );
    await recipes.create({ name: 'Written later', source: 'stamp-test', sourceId: 'p2', ingredients: [{ name: 'egg' }] });
    snapshot.invalidate();
    expect((await snapshot.current()).get(id)?.summary.name).toBe('Renamed in the same millisecond');
  }, 60_000);
});

/** `count` recipes of `source` named `${name} ${i}`: `first`, and `other[0]` for even i, `other[1]` for odd. */
function twoIngredientDishes(count: number, source: string, idPrefix: string, name: string, first: string, other: [string, string]) {
  return Array.from({ length: count }, (_, i) => ({
    name: `${name} ${i}`,
    source,
    sourceId: `${idPrefix}${i}`,
    ingredients: [{ name: first }, { name: other[i % 2] }],
  }));
}
