import { EntityManager } from 'typeorm';
import { CHANGE_LOG_KEEP_MS, IndexRegistryRepository } from '../src/indexing/index-registry.repository';
import { onPostgres } from './support/postgres/databases';
import { databasePerTest, gate, holdWriteTransaction } from './support/process-databases';

/**
 * The log of points written, which every serving process prunes every few seconds. Each process
 * opens its own data source on the same database, as separate servers would. Runs on SQLite and,
 * in the e2e-postgres project, on PostgreSQL.
 */
describe(`Index change log (${onPostgres() ? 'PostgreSQL' : 'SQLite'})`, () => {
  const databases = databasePerTest('index-changes');
  const open = async () => {
    const dataSource = await databases.open();
    return { dataSource, registry: new IndexRegistryRepository(dataSource) };
  };
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('drops the changes older than it keeps, and keeps the others for the processes that follow them', async () => {
    const a = await open();
    const b = await open();
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now - CHANGE_LOG_KEEP_MS - 1_000);
    await a.registry.recordChange('a', 'c1', ['old']);
    jest.spyOn(Date, 'now').mockReturnValue(now);
    await a.registry.recordChange('a', 'c1', ['new']);
    await a.registry.pruneChanges();
    // From the start of the log, another process finds the old change gone and the new one kept.
    expect(await b.registry.changesSince(0, 'b', 'c1')).toEqual({ ids: ['new'], last: 2 });
  });

  it('prunes a log with nothing old at once while another process holds the write lock', async () => {
    const a = await open();
    const b = await open();
    await a.registry.recordChange('a', 'c1', ['recent']);
    const release = await holdWriteTransaction(b.dataSource, [[`UPDATE index_changes SET at = at WHERE seq < 0`]]);
    try {
      const answer = await Promise.race([
        a.registry.pruneChanges().then(() => 'pruned'),
        new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 2_000)),
      ]);
      expect(answer).toBe('pruned');
    } finally {
      await release();
    }
  });

  // On PostgreSQL a change's number is drawn at its insert and shows at its commit, inside a
  // transaction; on SQLite the insert is one statement under the write lock, with no such window.
  (onPostgres() ? it : it.skip)('never lets a follower read past a change that commits after a later-numbered one', async () => {
    const a = await open();
    const b = await open();
    const follower = await open();
    // The first process's change is slow to commit: held after its insert, before the commit.
    const committing = gate();
    const inserted = gate();
    const transaction = a.dataSource.manager.transaction.bind(a.dataSource.manager) as (
      work: (manager: EntityManager) => Promise<unknown>,
    ) => Promise<unknown>;
    jest.spyOn(a.dataSource.manager, 'transaction').mockImplementation(((work: (manager: EntityManager) => Promise<unknown>) =>
      transaction(async (manager) => {
        const result = await work(manager);
        inserted.open();
        await committing.passed;
        return result;
      })) as never);
    const first = a.registry.recordChange('a', 'c1', ['from-a']);
    await inserted.passed;
    const second = b.registry.recordChange('b', 'c1', ['from-b']);
    await Promise.race([second, new Promise((resolve) => setTimeout(resolve, 300))]);
    const seen = await follower.registry.changesSince(0, 'follower', 'c1');
    committing.open();
    await Promise.all([first, second]);
    const after = await follower.registry.changesSince(seen.last, 'follower', 'c1');
    expect([...(seen.ids ?? []), ...(after.ids ?? [])].sort()).toEqual(['from-a', 'from-b']);
  });

  (onPostgres() ? it.skip : it)('numbers changes in the order they land while another process holds the write lock', async () => {
    const a = await open();
    const b = await open();
    const follower = await open();
    const holder = await open();
    // Each change is one statement: it waits for the lock (the busy timeout), it does not fail.
    const release = await holdWriteTransaction(holder.dataSource, [[`UPDATE index_changes SET at = at WHERE seq < 0`]]);
    const first = a.registry.recordChange('a', 'c1', ['from-a']);
    const second = b.registry.recordChange('b', 'c1', ['from-b']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const seen = await follower.registry.changesSince(0, 'follower', 'c1');
    expect(seen.ids).toEqual([]);
    await release();
    await Promise.all([first, second]);
    const after = await follower.registry.changesSince(seen.last, 'follower', 'c1');
    expect((after.ids ?? []).sort()).toEqual(['from-a', 'from-b']);
    expect(after.last).toBe(2);
  });
});
