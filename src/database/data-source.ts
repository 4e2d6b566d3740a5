import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { RecipeEntity } from '../recipes/recipe.entity';
import { MIGRATIONS } from './migrations';

export function dataSourceOptions(databasePath: string): DataSourceOptions {
  if (databasePath !== ':memory:') mkdirSync(dirname(databasePath), { recursive: true });
  return {
    type: 'sqlite',
    database: databasePath,
    entities: [RecipeEntity],
    migrations: MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    logging: ['error'],
    // WAL lets readers continue while the indexer and importers write.
    enableWAL: true,
    busyTimeout: 10_000,
  };
}

/** For scripts and tests that need the database without the Nest app. */
export async function openDataSource(databasePath: string): Promise<DataSource> {
  return serializeTransactions(await new DataSource(dataSourceOptions(databasePath)).initialize());
}

/**
 * TypeORM drives SQLite over one connection, so two transactions started at once (an import
 * while the indexer writes vectors) interleave on it and corrupt each other's savepoints. Every
 * transaction through the data source's manager therefore waits for the previous one to end.
 * A transaction must not start another through the data source (it would wait for itself):
 * work inside one uses the manager it is given.
 */
export function serializeTransactions(dataSource: DataSource): DataSource {
  const manager = dataSource.manager;
  const start = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  manager.transaction = ((...args: unknown[]) => {
    const run = tail.then(() => start(...args));
    tail = run.catch(() => undefined);
    return run;
  }) as typeof manager.transaction;
  return dataSource;
}
