import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { IndexCoordination1764600000000 } from '../database/migrations/1764600000000-index-coordination';
import { IndexJobLock, IndexJobRunningError } from './index-job-lock';
import { IndexJobLockRepository } from './index-job-lock.repository';

describe('IndexJobLock', () => {
  let dir: string;
  let first: DataSource;
  let second: DataSource;
  // Two connections to the same file: two processes.
  let firstLocks: IndexJobLockRepository;
  let secondLocks: IndexJobLockRepository;

  const open = async (file: string) => {
    const dataSource = new DataSource({
      type: 'sqlite',
      database: file,
      migrations: [IndexCoordination1764600000000],
      migrationsRun: true,
    });
    return dataSource.initialize();
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'index-lock-'));
    first = await open(join(dir, 'db.sqlite'));
    // A second connection to the same file: another process.
    second = await open(join(dir, 'db.sqlite'));
    firstLocks = new IndexJobLockRepository(first);
    secondLocks = new IndexJobLockRepository(second);
  });
  afterEach(async () => {
    await first.destroy();
    await second.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets one holder in and tells the others what it is doing', async () => {
    const lock = await IndexJobLock.acquire(firstLocks, 'retrain', 'server:1');
    lock.update({ phase: 'indexing', done: 256, total: 1321 });
    await lock.heartbeat();
    const refused = await IndexJobLock.acquire(secondLocks, 'reindex', 'cli:1').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(IndexJobRunningError);
    expect((refused as IndexJobRunningError).job).toMatchObject({
      kind: 'retrain',
      owner: 'server:1',
      phase: 'indexing',
      done: 256,
      total: 1321,
    });
    expect(await IndexJobLock.running(secondLocks)).toMatchObject({ owner: 'server:1' });

    await lock.release();
    expect(await IndexJobLock.running(secondLocks)).toBeNull();
    const next = await IndexJobLock.acquire(secondLocks, 'reindex', 'cli:1');
    await next.release();
  });

  it('hands an expired lease (a crashed holder) to the next process, and the old holder learns it lost it', async () => {
    const crashed = await IndexJobLock.acquire(firstLocks, 'retrain', 'server:1');
    await first.query('UPDATE index_locks SET expires_at = ?', [Date.now() - 1]);
    const taken = await IndexJobLock.acquire(secondLocks, 'retrain', 'cli:1');
    await crashed.heartbeat();
    expect(() => crashed.assertHeld()).toThrow(/lost its lock/);
    // Releasing a lost lock leaves the new holder's alone.
    await crashed.release();
    expect(await IndexJobLock.running(firstLocks)).toMatchObject({ owner: 'cli:1' });
    await taken.release();
  });
});
