import cluster from 'node:cluster';
import { Global, Module } from '@nestjs/common';
import { WorkerBudgets } from '../cluster/shared-budgets';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { BudgetPeers, NO_PEERS } from './budget-peers';
import { AdminKeyFailures, ClientRateLimiter } from './rate-limiters';

const BUDGET_PEERS = Symbol('BUDGET_PEERS');

/**
 * One counter of each kind per process, shared by the admin-key guard of every controller. One
 * of several workers (WORKERS) also counts what the others report (see shared-budgets.ts).
 */
@Global()
@Module({
  providers: [
    {
      provide: BUDGET_PEERS,
      useFactory: (): BudgetPeers => (cluster.isWorker && cluster.worker ? WorkerBudgets.forThisWorker(cluster.worker.id) : NO_PEERS),
    },
    {
      provide: ClientRateLimiter,
      useFactory: (config: AppConfig, peers: BudgetPeers) => new ClientRateLimiter(config.rateLimit, peers),
      inject: [APP_CONFIG, BUDGET_PEERS],
    },
    {
      provide: AdminKeyFailures,
      useFactory: (config: AppConfig, peers: BudgetPeers) => new AdminKeyFailures(config.rateLimit, peers),
      inject: [APP_CONFIG, BUDGET_PEERS],
    },
  ],
  exports: [ClientRateLimiter, AdminKeyFailures],
})
export class RateLimitModule {}
