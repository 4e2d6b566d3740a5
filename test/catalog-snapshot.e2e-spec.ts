import { DataSource } from 'typeorm';
import { openDataSource } from '../src/database/data-source';
import { execute } from '../src/database/sql';
import { RecipesService, stableRecipeId } from '../src/recipes/recipes.service';
import { CatalogSnapshotService } from '../src/search/catalog-snapshot.service';
import { RecipeRowsRepository } from '../src/recipes/recipe-rows.repository';
import { RECIPE_COLUMNS } from '../src/recipes/recipe-row';
import { onPostgres } from './support/postgres/databases';
import { createTestApp, TestApp } from './support/test-app';

describe('Catalog snapshot beside a large reload', () => {
  let t: TestApp;

  beforeAll(async () => {
    // The seed writes this source's 101 recipes in one bulk: they share the catalog's last timestamp.
    t = await createTestApp({ seed: { source: 'italian-giallozafferano' } });
  }, 60_000);
  afterAll(async () => {
    await t.close();
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  // First: it needs the view of the start, before any other test writes.
  it('reads only the new recipe on the first write after its first load, not the last bulk again', async () => {
    const snapshot = t.app.get(CatalogSnapshotService);
    await snapshot.current();
    const read = jest.spyOn(snapshot as unknown as { analysed: (ids: string[]) => Promise<unknown> }, 'analysed');
    const created = await t.app.get(RecipesService).create({
      name: 'Written after the start',
      source: 'start-test',
      sourceId: 'first',
      ingredients: [{ name: 'rice' }],
    });
    snapshot.invalidate();
    expect((await snapshot.current()).has(created.id)).toBe(true);
    expect(read.mock.calls.map(([ids]) => ids)).toEqual([[created.id]]);
    read.mockRestore();
  }, 60_000);

  it('shows a recipe created while a large import is still being analysed, and the import once it lands', async () => {
    const snapshot = t.app.get(CatalogSnapshotService);
    const recipes = t.app.get(RecipesService);
    await snapshot.current();

    // Hold the background reload until the new recipe has been looked for.
    const { spy, release } = holdReloads(snapshot);

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

  it('answers at once with what this process has just written, and trusts its view otherwise until it is due a check', async () => {
    const snapshot = t.app.get(CatalogSnapshotService);
    const recipes = t.app.get(RecipesService);
    snapshot.invalidate();
    const checked = await snapshot.current();
    // The trust window never runs out by itself here: only a write of this process ends it.
    jest.spyOn(Date, 'now').mockReturnValue(Date.now());
    const outside = stableRecipeId('own-write-test', 'outside');
    await execute(
      t.app.get(DataSource),
      `INSERT INTO recipes (${RECIPE_COLUMNS.join(', ')})
       SELECT ?, 'own-write-test', 'outside', 'Written by another process', ${RECIPE_COLUMNS.slice(4, -3).join(', ')}, 'outside', created_at, ?
       FROM recipes LIMIT 1`,
      [outside, new Date().toISOString()],
    );
    expect(await snapshot.current()).toBe(checked);

    const created = await recipes.create({
      name: 'Searched for right after its write',
      source: 'own-write-test',
      sourceId: 'own',
      ingredients: [{ name: 'rice' }],
    });
    const view = await snapshot.current();
    expect(view.has(created.id)).toBe(true);
    expect(view.has(outside)).toBe(true);
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

  it('takes a write that lands between its version check and its read of the changes without a pass over the whole catalog', async () => {
    const snapshot = t.app.get(CatalogSnapshotService);
    const recipes = t.app.get(RecipesService);
    await snapshot.current();
    const livePasses = jest.spyOn(snapshot as unknown as { liveIds: () => Promise<Set<string>> }, 'liveIds');
    const realVersion = RecipeRowsRepository.prototype.version;
    let between: Promise<{ id: string }> | null = null;
    jest.spyOn(RecipeRowsRepository.prototype, 'version').mockImplementation(async function (this: RecipeRowsRepository) {
      const version = await realVersion.call(this);
      between ??= recipes.create({
        name: 'Written between the reads',
        source: 'race-test',
        sourceId: 'between',
        ingredients: [{ name: 'leek' }],
      });
      await between;
      return version;
    });
    const first = await recipes.create({ name: 'Written first', source: 'race-test', sourceId: 'first', ingredients: [{ name: 'egg' }] });
    snapshot.invalidate();
    const view = await snapshot.current();
    expect(view.has(first.id)).toBe(true);
    expect(view.has((await between!).id)).toBe(true);
    expect(livePasses).not.toHaveBeenCalled();
  }, 60_000);

  it('still notices a deletion, whatever lands beside it', async () => {
    const snapshot = t.app.get(CatalogSnapshotService);
    const recipes = t.app.get(RecipesService);
    const doomed = await recipes.create({ name: 'Soon deleted', source: 'race-test', sourceId: 'doomed', ingredients: [{ name: 'egg' }] });
    snapshot.invalidate();
    expect((await snapshot.current()).has(doomed.id)).toBe(true);
    await recipes.delete(doomed.id);
    const kept = await recipes.create({
      name: 'Created beside it',
      source: 'race-test',
      sourceId: 'kept',
      ingredients: [{ name: 'rice' }],
    });
    snapshot.invalidate();
    const view = await snapshot.current();
    expect(view.has(doomed.id)).toBe(false);
    expect(view.has(kept.id)).toBe(true);
  }, 60_000);

  it('lands a large reload that writes went on beside without a pass over the whole catalog', async () => {
    const snapshot = t.app.get(CatalogSnapshotService);
    const recipes = t.app.get(RecipesService);
    await snapshot.current();
    const { spy: reloads, release, landed } = holdReloads(snapshot);
    const livePasses = jest.spyOn(snapshot as unknown as { liveIds: () => Promise<Set<string>> }, 'liveIds');
    const before = await snapshot.current();
    await recipes.upsertMany(twoIngredientDishes(230, 'beside-test', 'r', 'Reloaded dish', 'rice', ['pea', 'leek']));
    snapshot.invalidate();
    await snapshot.current();
    expect(reloads).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 3; i++) {
      await recipes.create({ name: `Beside the reload ${i}`, source: 'beside-test', sourceId: `b${i}`, ingredients: [{ name: 'egg' }] });
      snapshot.invalidate();
      await snapshot.current();
    }
    release();
    await landed();
    snapshot.invalidate();
    const after = await snapshot.current();
    expect(after.size).toBe(before.size + 233);
    expect(after.has(stableRecipeId('beside-test', 'r229'))).toBe(true);
    expect(livePasses).not.toHaveBeenCalled();
  }, 60_000);
});

describe('Catalog snapshot checks', () => {
  let quiet: TestApp;

  beforeAll(async () => {
    quiet = await createTestApp({ seed: { source: 'indian-food-101' } });
  }, 60_000);
  afterAll(async () => {
    await quiet.close();
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('reads the version only when a write may have ended: its own, or one committed through another connection', async () => {
    const snapshot = quiet.app.get(CatalogSnapshotService);
    const recipes = quiet.app.get(RecipesService);
    snapshot.invalidate();
    await snapshot.current();
    const versions = jest.spyOn(RecipeRowsRepository.prototype, 'version');
    const later = clockPastTrustWindow();
    later();
    await snapshot.current();
    later();
    await snapshot.current();
    // SQLite has a change counter to check instead; PostgreSQL reads the version each time.
    expect(versions).toHaveBeenCalledTimes(onPostgres() ? 2 : 0);

    const mine = await recipes.create({ name: 'Written here', source: 'mark-test', sourceId: 'here', ingredients: [{ name: 'egg' }] });
    later();
    expect((await snapshot.current()).has(mine.id)).toBe(true);

    const elsewhere = await openDataSource(quiet.databasePath);
    try {
      await elsewhere.transaction((manager) =>
        execute(manager, `UPDATE recipes SET name = ?, updated_at = ? WHERE id = ?`, [
          'Renamed elsewhere',
          new Date(Date.parse(mine.updatedAt) + 1000).toISOString(),
          mine.id,
        ]),
      );
    } finally {
      await elsewhere.destroy();
    }
    later();
    expect((await snapshot.current()).get(mine.id)?.summary.name).toBe('Renamed elsewhere');
  }, 60_000);
});

/** Each call moves `Date.now` a second further on, past the snapshot's trust window. */
function clockPastTrustWindow(): () => void {
  const real = Date.now.bind(Date);
  let offset = 0;
  jest.spyOn(Date, 'now').mockImplementation(() => real() + offset);
  return () => {
    offset += 1000;
  };
}

/** Holds the snapshot's background reloads until `release`; `landed` is the last one's completion. */
function holdReloads(snapshot: CatalogSnapshotService) {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const reloader = snapshot as unknown as { reloadInSlices: (...args: unknown[]) => Promise<void> };
  const real = reloader.reloadInSlices.bind(snapshot);
  let landed: Promise<void> = Promise.resolve();
  const spy = jest.spyOn(reloader, 'reloadInSlices').mockImplementation((...args: unknown[]) => (landed = held.then(() => real(...args))));
  return { spy, release, landed: () => landed };
}

/** `count` recipes of `source` named `${name} ${i}`: `first`, and `other[0]` for even i, `other[1]` for odd. */
function twoIngredientDishes(count: number, source: string, idPrefix: string, name: string, first: string, other: [string, string]) {
  return Array.from({ length: count }, (_, i) => ({
    name: `${name} ${i}`,
    source,
    sourceId: `${idPrefix}${i}`,
    ingredients: [{ name: first }, { name: other[i % 2] }],
  }));
}
