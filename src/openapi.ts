import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { buildOpenApiDocument, configureApp } from './app.setup';
import { loadConfig } from './config/app-config';
import { projectRoot } from './config/project-root';

/** Writes docs/openapi.json: the routes as the code declares them, for clients and reviews. */
async function main(): Promise<void> {
  const config = loadConfig({ DATABASE_PATH: ':memory:', ADMIN_API_KEY: 'openapi-only-key', SEED_ON_EMPTY: 'false' });
  const app = await NestFactory.create(AppModule.forRoot(config), { bodyParser: false, logger: ['error'] });
  configureApp(app);
  const out = join(projectRoot(), 'docs', 'openapi.json');
  writeFileSync(out, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
  await app.close();
  process.stdout.write(`wrote ${out}\n`);
}

void main();
