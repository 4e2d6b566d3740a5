import cluster from 'node:cluster';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AdminKeyFailures, budgetPerWorker, ClientRateLimiter } from './rate-limiters';

/** This process's part of the budgets: all of them, unless it is one of several workers. */
const budgets = (config: AppConfig) => budgetPerWorker(config.rateLimit, cluster.isWorker ? config.workers : 1);

/** One counter of each kind per process (see budgetPerWorker for several workers), shared by the admin-key guard of every controller. */
@Global()
@Module({
  providers: [
    { provide: ClientRateLimiter, useFactory: (config: AppConfig) => new ClientRateLimiter(budgets(config)), inject: [APP_CONFIG] },
    { provide: AdminKeyFailures, useFactory: (config: AppConfig) => new AdminKeyFailures(budgets(config)), inject: [APP_CONFIG] },
  ],
  exports: [ClientRateLimiter, AdminKeyFailures],
})
export class RateLimitModule {}
