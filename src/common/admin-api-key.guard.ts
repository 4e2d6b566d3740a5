import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AdminKeyFailures } from '../http/rate-limiters';
import { AppError } from './app-error';
import { ErrorCode } from './error-codes';

const ADMIN_ONLY = 'adminOnly';

/**
 * Marks a route or controller as needing `x-api-key: <ADMIN_API_KEY>`. The guard runs before the
 * JSON body is read (see JsonBodyInterceptor), so a call without the key never has its body parsed.
 */
export const AdminOnly = () => SetMetadata(ADMIN_ONLY, true);

@Injectable()
export class AdminApiKeyGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(
    private readonly reflector: Reflector,
    private readonly failures: AdminKeyFailures,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.expected = Buffer.from(config.adminApiKey);
  }

  canActivate(context: ExecutionContext): boolean {
    const adminOnly = this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, [context.getHandler(), context.getClass()]);
    if (!adminOnly) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    this.failures.assertNotBlocked(req, http.getResponse<Response>());
    const given = req.header('x-api-key');
    // A missing key is a misconfigured client, not a guess: only wrong keys count as failures.
    if (!given) throw new AppError(ErrorCode.Unauthorized, 'This route needs an admin key in the x-api-key header');
    const candidate = Buffer.from(given);
    if (candidate.length !== this.expected.length || !timingSafeEqual(candidate, this.expected)) {
      this.failures.recordFailure(req);
      throw new AppError(ErrorCode.Forbidden, 'The x-api-key header does not match the admin key');
    }
    return true;
  }
}
