import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

/**
 * The request's id: the client's `x-request-id` if sane, else a new one. Assigned once, so the
 * request logger (which asks for it by the same function) and error bodies share one id.
 */
export function assignRequestId(req: IncomingMessage & { id?: string }, res: ServerResponse): string {
  if (typeof req.id === 'string') return req.id;
  const given = req.headers['x-request-id'];
  req.id = typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', req.id);
  return req.id;
}

/** Tags each request with an id echoed in the `x-request-id` response header, errors and logs. */
export function requestId(req: Request & { id?: string }, res: Response, next: NextFunction): void {
  assignRequestId(req, res);
  next();
}
