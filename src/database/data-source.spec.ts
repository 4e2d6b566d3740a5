import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { openDataSource } from './data-source';

describe('openDataSource', () => {
  let dir: string;
  let dataSource: DataSource;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'recipes-db-'));
    dataSource = await openDataSource(join(dir, 'db.sqlite'));
  });
  afterAll(async () => {
    await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs transactions started at the same time one after another, each committing whole', async () => {
    const pause = () => new Promise((resolve) => setTimeout(resolve, 1));
    const work = Array.from({ length: 20 }, (_, i) =>
      dataSource.transaction(async (manager) => {
        await manager.query('INSERT INTO index_outbox (recipe_id, op, attempts, available_at, created_at) VALUES (?, ?, 0, 0, ?)', [
          `r${i}`,
          'upsert',
          'now',
        ]);
        await pause();
        if (i % 5 === 4) throw new Error(`transaction ${i} fails`);
        await manager.query('INSERT INTO index_outbox (recipe_id, op, attempts, available_at, created_at) VALUES (?, ?, 0, 0, ?)', [
          `r${i}`,
          'delete',
          'now',
        ]);
      }),
    );
    const outcomes = await Promise.allSettled(work);
    expect(outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason.message)).toEqual([
      'transaction 4 fails',
      'transaction 9 fails',
      'transaction 14 fails',
      'transaction 19 fails',
    ]);
    const rows: Array<{ recipe_id: string; n: number }> = await dataSource.query(
      'SELECT recipe_id, COUNT(*) AS n FROM index_outbox GROUP BY recipe_id',
    );
    // 16 transactions committed both rows; the 4 that failed left nothing behind.
    expect(rows).toHaveLength(16);
    expect(rows.every((row) => Number(row.n) === 2)).toBe(true);
  });
});

/**
 * Two processes on one file (a server and an admin command beside it). A transaction that
 * began by reading and then wrote, after the other process had committed meanwhile, failed at
 * once with SQLITE_BUSY: in WAL mode SQLite cannot upgrade a stale read snapshot, and the busy
 * timeout does not apply to that case.
 */
describe('transactions of two processes on one database', () => {
  let dir: string;
  let first: DataSource;
  let second: DataSource;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'recipes-db-'));
    first = await openDataSource(join(dir, 'db.sqlite'));
    second = await openDataSource(join(dir, 'db.sqlite'));
  });
  afterAll(async () => {
    await Promise.all([first.destroy(), second.destroy()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a transaction that reads and then writes waits for the other process instead of failing', async () => {
    let otherWrite: Promise<unknown> = Promise.resolve();
    await first.transaction(async (manager) => {
      const before: Array<{ n: number }> = await manager.query('SELECT COUNT(*) AS n FROM index_outbox');
      // The other process writes while this transaction is between its read and its write.
      otherWrite = second.transaction((other) => insert(other, 'from-second'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await insert(manager, `from-first-after-${before[0]!.n}`);
    });
    await otherWrite;
    expect((await committedIds(join(dir, 'db.sqlite'))).sort()).toEqual(['from-first-after-0', 'from-second']);
  });
});

/** Rows of `index_outbox` another connection sees: only what really committed. */
async function committedIds(path: string): Promise<string[]> {
  const other = await openDataSource(path);
  try {
    const rows: Array<{ recipe_id: string }> = await other.query('SELECT recipe_id FROM index_outbox ORDER BY id');
    return rows.map((row) => row.recipe_id);
  } finally {
    await other.destroy();
  }
}

const insert = (manager: EntityManager, id: string, filler = '') =>
  manager.query('INSERT INTO index_outbox (recipe_id, op, attempts, available_at, created_at) VALUES (?, ?, 0, 0, ?)', [
    id,
    'upsert',
    filler || 'now',
  ]);

/**
 * After a transaction SQLite ended on its own side: one that commits, one that fails in the
 * application, and one more that commits. Before the connection was reset, the second became
 * a savepoint that stayed open and swallowed the third.
 */
async function writeAfterFailure(dataSource: DataSource): Promise<void> {
  await dataSource.transaction((manager) => insert(manager, 'after-1'));
  await expect(
    dataSource.transaction(async (manager) => {
      await insert(manager, 'refused');
      throw new Error('the application refuses this write');
    }),
  ).rejects.toThrow('the application refuses this write');
  await dataSource.transaction((manager) => insert(manager, 'after-2'));
}

/** Both failure cases start from a fresh database file of their own. */
describe('serializeTransactions after a failure', () => {
  let dir: string;
  let path: string;
  let dataSource: DataSource;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'recipes-db-'));
    path = join(dir, 'db.sqlite');
    dataSource = await openDataSource(path);
  });
  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('after SQLite ended a transaction itself', () => {
    it('after a failed COMMIT, the next transaction is a real top-level one that commits', async () => {
      // What SQLite does when the write-ahead log cannot grow at COMMIT: the transaction is rolled
      // back and COMMIT fails with SQLITE_FULL.
      const runner = dataSource.driver.createQueryRunner('master');
      const query = runner.query.bind(runner);
      let failCommit = true;
      jest.spyOn(runner, 'query').mockImplementation(async (sql: string, parameters?: unknown[]) => {
        if (sql === 'COMMIT' && failCommit) {
          failCommit = false;
          await query('ROLLBACK');
          throw Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL', errno: 13 });
        }
        return query(sql, parameters);
      });

      await expect(dataSource.transaction((manager) => insert(manager, 'lost-at-commit'))).rejects.toThrow('SQLITE_FULL');
      await writeAfterFailure(dataSource);

      expect(await committedIds(path)).toEqual(['after-1', 'after-2']);
      expect(runner.isTransactionActive).toBe(false);
      await dataSource.destroy();
      expect(await committedIds(path)).toEqual(['after-1', 'after-2']);
    });

    it('after a statement fails with SQLITE_FULL (SQLite rolls back the whole transaction), writes commit again once there is room', async () => {
      const [{ page_count: pages }] = await dataSource.query('PRAGMA page_count');
      await dataSource.query(`PRAGMA max_page_count = ${Number(pages) + 2}`);
      const confirmed: string[] = [];
      let failures = 0;
      for (let i = 0; failures < 3 && i < 100; i++) {
        try {
          await dataSource.transaction((manager) => insert(manager, `fill-${i}`, 'x'.repeat(3000)));
          confirmed.push(`fill-${i}`);
        } catch (error) {
          expect((error as Error).message).toMatch(/^SQLITE_FULL/);
          failures += 1;
        }
      }
      expect(failures).toBe(3);
      expect(confirmed.length).toBeGreaterThan(0);

      await dataSource.query(`PRAGMA max_page_count = ${Number(pages) + 1000}`);
      await writeAfterFailure(dataSource);

      expect(await committedIds(path)).toEqual([...confirmed, 'after-1', 'after-2']);
    });
  });

  describe('when even ROLLBACK fails', () => {
    it('replaces the connection, dropping the half-done transaction, and later writes commit', async () => {
      const ioError = () => Object.assign(new Error('SQLITE_IOERR: disk I/O error'), { code: 'SQLITE_IOERR' });
      const driver = dataSource.driver as unknown as {
        databaseConnection: { run: (sql: string, callback: (error: Error | null) => void) => unknown };
      };
      const original = driver.databaseConnection;
      const runner = dataSource.driver.createQueryRunner('master');
      const query = runner.query.bind(runner);
      // The disk fails under the transaction: every ROLLBACK fails and leaves it open.
      let failing = true;
      jest.spyOn(runner, 'query').mockImplementation(async (sql: string, parameters?: unknown[]) => {
        if (failing && (sql === 'COMMIT' || sql === 'ROLLBACK')) throw ioError();
        return query(sql, parameters);
      });
      const run = original.run.bind(original);
      jest.spyOn(original, 'run').mockImplementation((sql: string, ...rest: unknown[]) => {
        const callback = rest[rest.length - 1] as (error: Error | null) => void;
        if (failing && sql === 'ROLLBACK') return callback(ioError());
        return (run as (...args: unknown[]) => unknown)(sql, ...rest);
      });

      await expect(dataSource.transaction((manager) => insert(manager, 'half-done'))).rejects.toThrow('SQLITE_IOERR');
      failing = false;
      expect(driver.databaseConnection).not.toBe(original);
      await writeAfterFailure(dataSource);

      expect(await committedIds(path)).toEqual(['after-1', 'after-2']);
    });
  });
});
