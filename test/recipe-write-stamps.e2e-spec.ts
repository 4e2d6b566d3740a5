import { DataSource } from 'typeorm';
import { RecipeRowsRepository } from '../src/recipes/recipe-rows.repository';
import { onPostgres } from './support/postgres/databases';
import { databasePerTest } from './support/process-databases';

/**
 * The `updated_at` stamps of recipe writes follow commit order, across processes too: the
 * catalog view of every process reads the rows written at or after the latest stamp it has
 * seen, so a write committed later with an earlier stamp would never reach it. Each simulated
 * process opens its own data source on the same database. Runs on SQLite and, in the
 * e2e-postgres project, on PostgreSQL.
 */
describe(`Recipe write stamps (${onPostgres() ? 'PostgreSQL' : 'SQLite'})`, () => {
  const databases = databasePerTest('write-stamps');

  /** A minimal recipe row stamped `stamp`, written through `executor` (a data source or a transaction's manager). */
  const insertRecipe = (executor: Pick<DataSource, 'query'>, id: string, stamp: string) =>
    executor.query(
      `INSERT INTO recipes (id, source, source_id, name, language, ingredients, steps, tags, diets, flavors, methods, tools,
         allergens, extra, content_hash, created_at, updated_at)
       VALUES ($1, 'test', $2, $3, 'en', '[]', '[]', '[]', '[]', '[]', '[]', '[]', '[]', '{}', 'h', $4, $5)`.replace(/\$\d/g, (mark) =>
        onPostgres() ? mark : '?',
      ),
      [id, id, id, stamp, stamp],
    );

  it('never stamps a write earlier than one already committed, whatever the clock says', async () => {
    const a = await databases.open();
    const later = new Date(Date.now() + 3_600_000).toISOString();
    await a.transaction((manager) => insertRecipe(manager, 'written-later', later));
    const stamp = await a.transaction((manager) => new RecipeRowsRepository(a).writeStamp(manager));
    expect(stamp >= later).toBe(true);
  });

  it("takes a second process's stamp only once the first process's write has committed", async () => {
    const a = await databases.open();
    const b = await databases.open();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let stamped!: (stamp: string) => void;
    const first = new Promise<string>((resolve) => (stamped = resolve));
    // The first process takes its stamp, then is slow to write and commit (a large bulk).
    const writing = a.transaction(async (manager) => {
      const stamp = await new RecipeRowsRepository(a).writeStamp(manager);
      stamped(stamp);
      await held;
      // Its clock was ahead: the row lands with a stamp later than the second process's clock.
      const ahead = new Date(Date.parse(stamp) + 60_000).toISOString();
      await insertRecipe(manager, 'first', ahead);
      return ahead;
    });
    await first;
    const second = b.transaction((manager) => new RecipeRowsRepository(b).writeStamp(manager));
    const early = await Promise.race([second, new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 500))]);
    expect(early).toBe('waiting');
    release();
    const firstRow = await writing;
    expect((await second) >= firstRow).toBe(true);
  });
});
