import 'reflect-metadata';
import cluster from 'node:cluster';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { keepGeneratedAdminKey } from './config/admin-key-file';
import { configureApp } from './app.setup';
import { ConfigError, loadConfig } from './config/app-config';
import { applyHeapGrowth } from './config/heap-growth';
import { runPrimary } from './cluster/primary';
import { startServices } from './startup';

async function bootstrap(): Promise<void> {
  const logger = new Logger('Main');
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  if (config.workers > 1 && cluster.isPrimary) return runPrimary(config);
  if (config.adminApiKeyGenerated) {
    const kept = keepGeneratedAdminKey(config.adminApiKey, config.databasePath);
    config = { ...config, adminApiKey: kept.key };
    logger.warn(`ADMIN_API_KEY is not set; admin routes accept a generated key, kept in ${kept.file} (readable by this user only)`);
  }
  applyHeapGrowth(config.heapGrowthPercent);
  // Start-up messages wait for the JSON logger rather than going to the console in another format.
  const app = await NestFactory.create(AppModule.forRoot(config), { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(PinoNestLogger));
  // Otherwise Nest holds the messages until listen, and seeding's would all carry that time.
  app.flushLogs();
  configureApp(app);
  // Nest stops once, whatever signals follow the first (a terminal's Ctrl-C reaches a worker as
  // well as the primary's SIGTERM). A worker then exits 0, which the primary reads as a clean stop;
  // a single process re-raises the signal, as it always has.
  app.enableShutdownHooks([], { useProcessExit: cluster.isWorker });
  await startServices(app);
  await app.listen(config.port, config.host);
  logger.log(`Listening on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}/api (docs at /docs)`);
}

void bootstrap();
