import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';
import { RateLimitConfig } from '../config/app-config';
import { BudgetPeers, NO_PEERS } from './budget-peers';
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
 *
 * With several workers on one port (WORKERS), each counts the requests it serves and adds what
 * the others have reported (`peers`): a client is held to the budget whether its requests come
 * on one kept-alive connection (so to one worker) or spread over many.
 */
export class ClientRateLimiter {
  private readonly counter = new WindowCounter(MINUTE_MS);

  constructor(
    private readonly config: RateLimitConfig,
    private readonly peers: BudgetPeers = NO_PEERS,
  ) {}

  middleware(): RequestHandler {
    return (req: Request, res: Response, next: NextFunction) => {
      const limit = this.config.perMinute;
      if (limit === 0) return next();
      const key = this.clientKey(req);
      if (key === null) return next();
      const { count, resetSeconds, endsAt } = this.counter.add(key);
      this.peers.spent('clients', key, count, endsAt);
      if (count + this.peers.spentElsewhere('clients', key) <= limit) return next();
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
 * Shared between workers as the client budget is.
 */
export class AdminKeyFailures {
  private readonly counter: WindowCounter;

  constructor(
    private readonly config: RateLimitConfig,
    private readonly peers: BudgetPeers = NO_PEERS,
  ) {
    this.counter = new WindowCounter(config.adminFailureWindowMs);
  }

  /** Throws 429 (setting Retry-After) when `req`'s address has used up its wrong keys. */
  assertNotBlocked(req: Request, res: Response): void {
    const address = clientAddress(req);
    const { count, resetSeconds } = this.counter.peek(address);
    if (count + this.peers.spentElsewhere('admin-failures', address) < this.config.adminFailures) return;
    res.setHeader('retry-after', String(resetSeconds));
    throw new AppError(ErrorCode.RateLimited, `Too many wrong admin keys from this address; try again in ${resetSeconds} s`, {
      retryAfterSeconds: resetSeconds,
    });
  }

  recordFailure(req: Request): void {
    const address = clientAddress(req);
    const { count, endsAt } = this.counter.add(address);
    this.peers.spent('admin-failures', address, count, endsAt);
  }
}
