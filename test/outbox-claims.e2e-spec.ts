import { IndexOutboxRepository, OUTBOX_CLAIM_LOCK_KEY, OutboxRecord } from '../src/indexing/index-outbox.repository';
import { onPostgres } from './support/postgres/databases';
import { databasePerTest, gate, holdWriteTransaction } from './support/process-databases';

/**
 * Several processes draining one outbox: each opens its own data source on the same database,
 * as separate servers would. Runs on SQLite and, in the e2e-postgres project, on PostgreSQL.
 */
describe(`Outbox claims (${onPostgres() ? 'PostgreSQL' : 'SQLite'})`, () => {
  const databases = databasePerTest('outbox-claims');
  const open = async () => {
    const dataSource = await databases.open();
    return { dataSource, outbox: new IndexOutboxRepository(dataSource) };
  };
  const recipesOf = (rows: OutboxRecord[]) => rows.map((row) => `${row.recipe_id}:${row.op}`);

  it('gives each change to one process, and holds back a recipe another process is indexing', async () => {
    const a = await open();
    const b = await open();
    await a.dataSource.transaction((m) => a.outbox.enqueue(m, ['r1', 'r2', 'r3'], 'upsert'));

    expect(recipesOf(await a.outbox.claim('a', 2, true, 60_000))).toEqual(['r1:upsert', 'r2:upsert']);
    await a.dataSource.transaction((m) => a.outbox.enqueue(m, ['r1'], 'delete'));
    // r1's delete waits: indexed beside a's upsert of r1 it could land first and be undone.
    expect(recipesOf(await b.outbox.claim('b', 10, true, 60_000))).toEqual(['r3:upsert']);
    const c = await open();
    expect(await c.outbox.claim('c', 10, true, 60_000)).toEqual([]);
    expect(await c.outbox.claimedByOthers('c')).toBe(3);
  });

  it('answers an empty outbox at once while another process holds the write lock and the claim lock', async () => {
    const a = await open();
    const b = await open();
    // An import in another process, which also holds the claim lock (PostgreSQL).
    const release = await holdWriteTransaction(b.dataSource, [
      ...(onPostgres() ? [['SELECT pg_advisory_xact_lock($1)', [OUTBOX_CLAIM_LOCK_KEY]] as [string, unknown[]]] : []),
      [`UPDATE index_outbox SET attempts = attempts WHERE id < 0`],
    ]);
    try {
      const answer = await Promise.race([
        a.outbox.claim('a', 10, false, 60_000).then((rows) => rows),
        new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 2_000)),
      ]);
      expect(answer).toEqual([]);
    } finally {
      await release();
    }
  });

  it('loses nothing when a process dies mid-batch: its rows go to another once the lease runs out', async () => {
    const a = await open();
    const b = await open();
    await a.dataSource.transaction((m) => a.outbox.enqueue(m, ['r1', 'r2'], 'upsert'));
    expect(await a.outbox.claim('a', 10, true, 200)).toHaveLength(2);
    expect(await b.outbox.claim('b', 10, true, 60_000)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const taken = await b.outbox.claim('b', 10, true, 60_000);
    expect(recipesOf(taken)).toEqual(['r1:upsert', 'r2:upsert']);
    await b.outbox.delete(taken.map((row) => row.id));
    expect(await a.outbox.pendingCount()).toBe(0);
  });

  it('hands a failed batch back at once, to be retried after its back-off', async () => {
    const a = await open();
    const b = await open();
    await a.dataSource.transaction((m) => a.outbox.enqueue(m, ['r1'], 'upsert'));
    const rows = await a.outbox.claim('a', 10, false, 60_000);
    await a.outbox.postpone(rows, 'store down', () => Date.now() + 60_000);
    expect(await b.outbox.claim('b', 10, false, 60_000)).toEqual([]);
    expect(recipesOf(await b.outbox.claim('b', 10, true, 60_000))).toEqual(['r1:upsert']);
  });

  it('splits a backlog between processes claiming at the same time, each row exactly once', async () => {
    const processes = [await open(), await open(), await open()];
    const ids = Array.from({ length: 120 }, (_, i) => `r${String(i).padStart(3, '0')}`);
    await processes[0].dataSource.transaction((m) => processes[0].outbox.enqueue(m, ids, 'upsert'));
    const claimed = new Map<number, string>();
    await Promise.all(
      processes.map(async ({ outbox }, p) => {
        for (;;) {
          const rows = await outbox.claim(`p${p}`, 7, true, 60_000);
          if (rows.length === 0) return;
          for (const row of rows) {
            expect(claimed.get(row.id)).toBeUndefined();
            claimed.set(row.id, `p${p}`);
          }
          await outbox.delete(rows.map((row) => row.id));
        }
      }),
    );
    expect(claimed.size).toBe(120);
    expect(new Set(claimed.values()).size).toBeGreaterThan(1);
    expect(await processes[0].outbox.pendingCount()).toBe(0);
  });

  it('numbers queued rows in commit order, so every row up to the highest committed one is committed', async () => {
    const a = await open();
    const b = await open();
    const reader = await open();
    const committing = gate();
    const queued = gate();
    // A write that queued its row and is slow to commit (a large bulk still writing).
    const first = a.dataSource.transaction(async (manager) => {
      await a.outbox.enqueue(manager, ['slow'], 'upsert');
      queued.open();
      await committing.passed;
    });
    await queued.passed;
    const second = b.dataSource.transaction((manager) => b.outbox.enqueue(manager, ['quick'], 'upsert'));
    await Promise.race([second, new Promise((resolve) => setTimeout(resolve, 300))]);
    const committedUpTo = async () => {
      const max = await reader.outbox.maxId();
      const rows = await reader.dataSource.query(`SELECT id FROM index_outbox WHERE id <= ${max ?? 0} ORDER BY id`);
      return { max, ids: (rows as Array<{ id: number | string }>).map((row) => Number(row.id)) };
    };
    // What a full comparison would treat as covered while the first write is still open.
    const during = await committedUpTo();
    expect(during.ids).toEqual(Array.from({ length: during.max ?? 0 }, (_, i) => i + 1));
    committing.open();
    await Promise.all([first, second]);
    expect(await committedUpTo()).toEqual({ max: 2, ids: [1, 2] });
  });
});
