import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ConcurrencyLimit } from '../common/event-loop';

/** Routes that only read, by method and path. POSTs here carry a query, not a write. */
const READ_POSTS = new Set(['/api/search/by-ingredients', '/api/recommendations']);
/** Reads that rank the whole catalog against many examples: tens of milliseconds of CPU each. */
const HEAVY_READS = /^\/api\/recommendations$|^\/api\/users\/[^/]+\/recommendations$/;
const NEVER_WAIT = /^\/api\/health(\/|$)|^\/metrics$/;

export type RequestClass = 'read' | 'heavy-read' | 'other';

export function requestClass(req: Pick<Request, 'method' | 'path'>): RequestClass {
  const path = req.path;
  if (NEVER_WAIT.test(path) || !path.startsWith('/api/')) return 'other';
  const read = req.method === 'GET' || req.method === 'HEAD' || (req.method === 'POST' && READ_POSTS.has(path));
  if (!read) return 'other';
  return HEAVY_READS.test(path) ? 'heavy-read' : 'read';
}

/**
 * Heavy reads at once, whatever READ_CONCURRENCY says. One: beside 16 clients asking for
 * 100-example recommendations, a one-word search's p99 was 60–125 ms with two at a time and
 * 41 ms with one, and the recommendations' own throughput did not drop (21–24 → 25 req/s; the
 * CPU bounds it either way). `npm run bench -- --only load`
 */
const HEAVY_READ_CONCURRENCY = 1;

/**
 * Reads take turns: at most `limit` run at once, the others wait (in order, costing nothing)
 * before any of their work starts. Writes, health and metrics never wait behind them, and a
 * search never waits behind recommendation requests, which queue on their own (in one queue
 * with them, 16 clients asking for 100-example recommendations held a one-word search for
 * 630 ms at p50).
 *
 * Every request shares one event loop, and a write needs several turns of it (its transaction's
 * statements each come back through the loop). With ten clients reading as fast as they could,
 * every turn carried up to ten reads' work, and 20 writers' p50 went from 34 ms alone to 233 ms
 * next to them (`npm run bench -- --only load`). Holding reads to a few at a time keeps the
 * loop's turns short without lowering read throughput, which the CPU bounds anyway.
 */
export function readAdmission(limit: number): RequestHandler {
  const slots = { read: new ConcurrencyLimit(Math.max(1, limit)), 'heavy-read': new ConcurrencyLimit(HEAVY_READ_CONCURRENCY) };
  return (req: Request, res: Response, next: NextFunction) => {
    const kind = requestClass(req);
    if (limit <= 0 || kind === 'other') return next();
    void slots[kind].run(
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
