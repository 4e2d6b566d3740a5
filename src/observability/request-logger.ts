import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { DestinationStream, Logger } from 'pino';
import { Options } from 'pino-http';
import { errorCodeOf } from '../common/http-exception.filter';
import { assignRequestId } from '../common/request-id.middleware';
import { LogLevel } from '../config/app-config';
import { routeLabel } from './route-label';

/** Headers that carry credentials; their values never reach a log line. */
export const REDACTED_HEADERS = ['x-api-key', 'authorization', 'cookie'] as const;

/** The process's one JSON logger: request lines and the application's own `Logger` calls. */
export function createAppLogger(level: LogLevel, destination: DestinationStream): Logger {
  return pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_HEADERS.map((name) => `req.headers["${name}"]`), censor: '[redacted]' },
    },
    destination,
  );
}

type Request = IncomingMessage & { id?: string };

/**
 * pino-http settings for one line per request: method, URL, route template, status and
 * duration. Request bodies are never serialized; neither are response headers (noise).
 */
export function requestLoggingOptions(logger: Logger): Options<Request, ServerResponse> {
  return {
    logger,
    // The id the request-id middleware assigned (or, if it has not run, the one it would assign).
    genReqId: (req, res) => assignRequestId(req, res),
    // Application logs made while serving a request carry the same `req` (and so `req.id`) as
    // its request line. pino-http's quietReqLogger would bind only the id, but builds a second
    // child logger per request for it: 62 instead of 36 µs of CPU per request (bench/observability-cost.ts).
    quietReqLogger: false,
    serializers: {
      req: (req: { id: string; method: string; url: string; headers: Record<string, unknown>; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
        headers: req.headers,
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
    customLogLevel: (_req, res, error) =>
      error ? 'error' : REFUSALS.has(res.statusCode) ? 'warn' : res.statusCode >= 500 ? 'error' : 'info',
    // The error body's code on every line of an error response (VALIDATION_FAILED, RATE_LIMITED…).
    customSuccessObject: (req, res, value: object) => withCode({ ...value, route: routeLabel(req) }, errorCodeOf(res)),
    // For a 5xx answered with an error body, pino-http makes up an error ("failed with status
    // code 507") whose stack is its own: the code says what happened, and the cause of an
    // unexpected error is already logged with its stack where it was caught (error-mapper.ts).
    customErrorObject: (req, res, _error, value: { err?: unknown }) => {
      const code = errorCodeOf(res);
      if (code === undefined) return { ...value, route: routeLabel(req) };
      const { err: _made, ...rest } = value;
      return { ...rest, route: routeLabel(req), code };
    },
  };
}

/**
 * 5xx answers the service gives on purpose while it cannot take a request, logged as warnings:
 * 503 (a backing service down, whose failure is logged where it happened) and 507 (no room for
 * new recipes: the database's disk or the memory budget, which logs when it begins and ends).
 */
const REFUSALS = new Set([503, 507]);

function withCode<T extends object>(value: T, code: string | undefined): T | (T & { code: string }) {
  return code === undefined ? value : { ...value, code };
}
