import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { loadConfig } from '../../src/config/app-config';
import { IndexingService } from '../../src/indexing/indexing.service';
import { SeedService } from '../../src/recipes/seed.service';

export const ADMIN_KEY = 'test-admin-key-0123456789';

export interface TestApp {
  app: INestApplication;
  http: () => ReturnType<typeof request>;
  databasePath: string;
  close(): Promise<void>;
}

/**
 * Boots the real application (real migrations, real default embedder, embedded vector store
 * unless the environment picks Qdrant) on a temporary SQLite file.
 */
export async function createTestApp(
  options: { env?: Record<string, string>; seed?: boolean | { source?: string }; databasePath?: string } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'recipes-e2e-'));
  const databasePath = options.databasePath ?? join(dir, 'test.sqlite');
  const config = loadConfig({
    ...process.env,
    DATABASE_PATH: databasePath,
    ADMIN_API_KEY: ADMIN_KEY,
    SEED_ON_EMPTY: 'false',
    PORT: '0',
    ...options.env,
  });
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error'] });
  configureApp(app);
  await app.init();
  if (options.seed) {
    await app.get(SeedService).seed(typeof options.seed === 'object' ? { source: options.seed.source } : {});
  }
  const indexing = app.get(IndexingService);
  await indexing.prepare();
  await indexing.drain();
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
