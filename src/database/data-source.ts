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
  const dataSource = new DataSource(dataSourceOptions(databasePath));
  await dataSource.initialize();
  return dataSource;
}
