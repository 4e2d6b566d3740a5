import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { AppError } from './app-error';
import { ErrorCode } from './error-codes';

const ADMIN_ONLY = 'adminOnly';

/** Marks a route or controller as needing `x-api-key: <ADMIN_API_KEY>`. */
export const AdminOnly = () => SetMetadata(ADMIN_ONLY, true);

@Injectable()
export class AdminApiKeyGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.expected = Buffer.from(config.adminApiKey);
  }

  canActivate(context: ExecutionContext): boolean {
    const adminOnly = this.reflector.getAllAndOverride<boolean>(ADMIN_ONLY, [context.getHandler(), context.getClass()]);
    if (!adminOnly) return true;
    const given = context.switchToHttp().getRequest<Request>().header('x-api-key');
    if (!given) throw new AppError(ErrorCode.Unauthorized, 'This route needs an admin key in the x-api-key header');
    const candidate = Buffer.from(given);
    if (candidate.length !== this.expected.length || !timingSafeEqual(candidate, this.expected)) {
      throw new AppError(ErrorCode.Forbidden, 'The x-api-key header does not match the admin key');
    }
    return true;
  }
}
