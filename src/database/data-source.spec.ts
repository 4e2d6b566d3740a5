import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
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
