import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ConcurrencyLimit } from '../common/event-loop';

/** Routes that only read, by method and path (after the `/api` prefix). POSTs here carry a query, not a write. */
const READ_POSTS = new Set(['/api/search/by-ingredients', '/api/recommendations']);
const NEVER_WAIT = /^\/api\/health(\/|$)|^\/metrics$/;

export function isReadRequest(req: Request): boolean {
  const path = req.path;
  if (NEVER_WAIT.test(path)) return false;
  if (req.method === 'GET' || req.method === 'HEAD') return path.startsWith('/api/');
  return req.method === 'POST' && READ_POSTS.has(path);
}

/**
 * Reads take turns: at most `limit` run at once, the others wait (in order, costing nothing)
 * before any of their work starts. Writes, health and metrics never wait behind them.
 *
 * Every request shares one event loop, and a write needs several turns of it (its transaction's
 * statements each come back through the loop). With ten clients reading as fast as they could,
 * every turn carried up to ten reads' work, and 20 writers' p50 went from 34 ms alone to 233 ms
 * next to them (`npm run bench -- --only load`). Holding reads to a few at a time keeps the
 * loop's turns short without lowering read throughput, which the CPU bounds anyway.
 */
export function readAdmission(limit: number): RequestHandler {
  const slots = new ConcurrencyLimit(Math.max(1, limit));
  return (req: Request, res: Response, next: NextFunction) => {
    if (limit <= 0 || !isReadRequest(req)) return next();
    void slots.run(
      () =>
        new Promise<void>((release) => {
          // A client that gave up while waiting frees its turn without any work done.
          if (res.destroyed || req.destroyed) return release();
          res.once('close', () => release());
          next();
        }),
    );
  };
}
