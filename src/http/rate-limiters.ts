import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';
import { RateLimitConfig } from '../config/app-config';
import { clientAddress, isLoopback } from './client-address';
import { WindowCounter } from './window-counter';

const MINUTE_MS = 60_000;

/**
 * The per-client budget on every route, `RATE_LIMIT_PER_MINUTE` requests a minute. The client
 * is the address (see clientAddress) or, when `RATE_LIMIT_CLIENT_HEADER` is set and present,
 * that header's value: an app backend that calls for all its users from one address names each
 * user there, so one user's flood does not spend everyone's budget. Only enable the header when
 * clients cannot reach the service except through that backend: anyone else could invent a new
 * value per request.
 */
export class ClientRateLimiter {
  private readonly counter = new WindowCounter(MINUTE_MS);

  constructor(private readonly config: RateLimitConfig) {}

  middleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const limit = this.config.perMinute;
      if (limit === 0) return next();
      const key = this.clientKey(req);
      if (key === null) return next();
      const { count, resetSeconds } = this.counter.add(key);
      if (count <= limit) return next();
      res.setHeader('retry-after', String(resetSeconds));
      next(
        new AppError(ErrorCode.RateLimited, `Too many requests from this client; try again in ${resetSeconds} s`, {
          limitPerMinute: limit,
          retryAfterSeconds: resetSeconds,
        }),
      );
    };
  }

  /** The key a request is counted under, or null when it is not limited. */
  private clientKey(req: Request): string | null {
    const header = this.config.clientHeader;
    const named = header ? req.headers[header] : undefined;
    if (typeof named === 'string' && named.trim() !== '') return `client:${named.trim().slice(0, 200)}`;
    const address = clientAddress(req);
    if (this.config.exemptLoopback && isLoopback(address)) return null;
    return `address:${address}`;
  }
}

/**
 * Wrong admin keys per address: after `RATE_LIMIT_ADMIN_FAILURES` of them in a window, every admin
 * call from that address gets 429 until the window ends, a right key included (otherwise the
 * answer to a guess would still tell a right key from a wrong one). Keyed by address only, never
 * by a header the guesser could vary, and loopback is not exempt. Correct keys are never counted.
 */
export class AdminKeyFailures {
  private readonly counter: WindowCounter;

  constructor(private readonly config: RateLimitConfig) {
    this.counter = new WindowCounter(config.adminFailureWindowMs);
  }

  /** Throws 429 (setting Retry-After) when `req`'s address has used up its wrong keys. */
  assertNotBlocked(req: Request, res: Response): void {
    const { count, resetSeconds } = this.counter.peek(clientAddress(req));
    if (count < this.config.adminFailures) return;
    res.setHeader('retry-after', String(resetSeconds));
    throw new AppError(ErrorCode.RateLimited, `Too many wrong admin keys from this address; try again in ${resetSeconds} s`, {
      retryAfterSeconds: resetSeconds,
    });
  }

  recordFailure(req: Request): void {
    this.counter.add(clientAddress(req));
  }
}

/**
 * One worker's part of the budgets when `workers` processes share the port (WORKERS): each
 * counts only the requests it serves, and Node hands connections to the workers in turn, so a
 * client spreading its requests over several connections is held to about the configured
 * budget, and one on a single kept-alive connection to its worker's share. Never more than
 * configured, as a flood opens many connections.
 */
export function budgetPerWorker(config: RateLimitConfig, workers: number): RateLimitConfig {
  if (workers <= 1) return config;
  return {
    ...config,
    perMinute: config.perMinute === 0 ? 0 : Math.ceil(config.perMinute / workers),
    adminFailures: Math.ceil(config.adminFailures / workers),
  };
}
