import 'reflect-metadata';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { loadConfig } from '../src/config/app-config';

/** Settings that would change what is measured; the benchmark always runs the bundled defaults. */
const IGNORED_ENV = /^(DATABASE_PATH|SEED_DIR|SEED_ON_EMPTY|LEXICON_EXTRA_PATH|VECTOR_|QDRANT_|EMBEDDING_|INDEX_|RETRAIN_)/;

/**
 * The real application context the admin CLI runs on (no HTTP), over its own SQLite file,
 * with the embedded vector store and the food-concepts embedder: nothing leaves the process.
 */
export async function openBenchApp(databasePath: string): Promise<INestApplicationContext> {
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(process.env)) if (!IGNORED_ENV.test(name)) env[name] = value;
  const config = loadConfig({
    ...env,
    DATABASE_PATH: databasePath,
    SEED_ON_EMPTY: 'false',
    ADMIN_API_KEY: 'bench-key-123456',
    VECTOR_STORE: 'embedded',
    EMBEDDING_PROVIDER: 'food-concepts',
  });
  return NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error'] });
}
