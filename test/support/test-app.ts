import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { loadConfig } from '../../src/config/app-config';
import { LOG_DESTINATION } from '../../src/observability/observability.tokens';
import { IndexSynchroniser } from '../../src/indexing/index-synchroniser.service';
import { OutboxWorker } from '../../src/indexing/outbox-worker.service';
import { SeedService } from '../../src/recipes/seed.service';
import { isPostgresUrl } from '../../src/database/data-source';
import { createPostgresDatabase, onPostgres } from './postgres/databases';

export const ADMIN_KEY = 'test-admin-key-0123456789';

export interface TestApp {
  app: INestApplication;
  http: () => ReturnType<typeof request>;
  /** The SQLite file, or on PostgreSQL the database's URL: pass it on to boot a second app on the same data. */
  databasePath: string;
  close(): Promise<void>;
}

/**
 * Boots the real application (real migrations, real default embedder, embedded vector store
 * unless the environment picks Qdrant) on a temporary SQLite file, or in the `e2e-postgres`
 * project on a new database of the test PostgreSQL server.
 */
export async function createTestApp(
  options: {
    env?: Record<string, string>;
    seed?: boolean | { source?: string };
    databasePath?: string;
    /** Receives the JSON log lines (set LOG_LEVEL in `env`: tests log nothing by default). */
    logDestination?: DestinationStream;
  } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'recipes-e2e-'));
  const databasePath = options.databasePath ?? (onPostgres() ? await createPostgresDatabase() : join(dir, 'test.sqlite'));
  const config = loadConfig({
    ...process.env,
    ...(isPostgresUrl(databasePath)
      ? { DATABASE_URL: databasePath, DATABASE_PATH: join(dir, 'unused.sqlite') }
      : { DATABASE_PATH: databasePath }),
    ADMIN_API_KEY: ADMIN_KEY,
    SEED_ON_EMPTY: 'false',
    PORT: '0',
    LOG_LEVEL: 'silent',
    // The suite's apps share one process with the test runner, whose heap holds every suite run
    // so far: held to the service's mark, a late suite could see its writes refused. The budget's
    // own specs set it.
    MEMORY_HIGH_WATER_PERCENT: '100',
    ...options.env,
  });
  let builder = Test.createTestingModule({ imports: [AppModule.forRoot(config)] });
  if (options.logDestination) builder = builder.overrideProvider(LOG_DESTINATION).useValue(options.logDestination);
  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
  configureApp(app);
  await app.init();
  if (options.seed) {
    await app.get(SeedService).seed(typeof options.seed === 'object' ? { source: options.seed.source } : {});
  }
  await app.get(IndexSynchroniser).prepare();
  await app.get(OutboxWorker).drain();
  return {
    app,
    databasePath,
    http: () => request(app.getHttpServer()),
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
