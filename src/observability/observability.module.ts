import { Global, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino, { DestinationStream, Logger } from 'pino';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { IndexingModule } from '../indexing/indexing.module';
import { IndexMetrics } from './index-metrics';
import { MemoryMetrics } from './memory-metrics';
import { MetricsService } from './metrics.service';
import { APP_LOGGER, LOG_DESTINATION } from './observability.tokens';
import { createAppLogger } from './request-logger';

/**
 * Logs and metrics. Global so the few places that report into it (the indexer's retrain and
 * failure hooks) need no module import.
 */
@Global()
@Module({
  imports: [
    IndexingModule,
    // pino-http itself is installed by useObservability, ahead of the body parser; this module
    // only binds each request's logger so `Logger` calls made while serving it carry its id.
    LoggerModule.forRootAsync({
      inject: [APP_LOGGER],
      useFactory: (logger: Logger) => ({
        pinoHttp: { logger },
        useExisting: true,
        // Express 5 path syntax; the library's default `*` draws a legacy-route warning at start.
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
      }),
    }),
  ],
  providers: [
    MetricsService,
    IndexMetrics,
    MemoryMetrics,
    { provide: LOG_DESTINATION, useFactory: (): DestinationStream => pino.destination(1) },
    {
      provide: APP_LOGGER,
      inject: [APP_CONFIG, LOG_DESTINATION],
      useFactory: (config: AppConfig, destination: DestinationStream) => createAppLogger(config.logLevel, destination),
    },
  ],
  exports: [MetricsService, APP_LOGGER],
})
export class ObservabilityModule {}
