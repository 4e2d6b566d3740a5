import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { openDataSource } from '../../src/database/data-source';
import { createPostgresDatabase, onPostgres } from './postgres/databases';

/**
 * A fresh database for each test of the calling suite (SQLite, or PostgreSQL in the
 * e2e-postgres project), on which `open` gives each simulated process its own data source, as
 * separate servers would have. Everything opened is closed after each test.
 */
export function databasePerTest(prefix: string): { open(): Promise<DataSource> } {
  let dir: string;
  let location: string;
  const opened: DataSource[] = [];
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
    location = onPostgres() ? await createPostgresDatabase() : join(dir, `${prefix}.sqlite`);
  });
  afterEach(async () => {
    for (const dataSource of opened.splice(0)) await dataSource.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    open: async () => {
      const dataSource = await openDataSource(location);
      opened.push(dataSource);
      return dataSource;
    },
  };
}

/**
 * An import in another process: a write transaction on `dataSource` (SQLite's one write lock)
 * that first runs `statements`, then stays open until the returned `release` is called.
 */
export async function holdWriteTransaction(dataSource: DataSource, statements: Array<[string, unknown[]?]>): Promise<() => Promise<void>> {
  const release = gate();
  const locked = gate();
  const transaction = dataSource.transaction(async (manager) => {
    for (const [sql, parameters] of statements) await manager.query(sql, parameters);
    locked.open();
    await release.passed;
  });
  await Promise.race([locked.passed, transaction]);
  return async () => {
    release.open();
    await transaction;
  };
}

/** A promise to wait on (`passed`) and the call that resolves it (`open`). */
export function gate(): { passed: Promise<void>; open: () => void } {
  let open!: () => void;
  const passed = new Promise<void>((resolve) => (open = resolve));
  return { passed, open };
}
