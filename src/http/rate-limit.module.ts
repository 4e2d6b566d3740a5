import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AdminKeyFailures, ClientRateLimiter } from './rate-limiters';

/** One counter of each kind per process, shared by the admin-key guard of every controller. */
@Global()
@Module({
  providers: [
    { provide: ClientRateLimiter, useFactory: (config: AppConfig) => new ClientRateLimiter(config.rateLimit), inject: [APP_CONFIG] },
    { provide: AdminKeyFailures, useFactory: (config: AppConfig) => new AdminKeyFailures(config.rateLimit), inject: [APP_CONFIG] },
  ],
  exports: [ClientRateLimiter, AdminKeyFailures],
})
export class RateLimitModule {}
