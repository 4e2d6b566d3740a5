import cluster from 'node:cluster';
import { timingSafeEqual } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';
import { toErrorBody } from '../common/error-mapper';
import { sendErrorBody } from '../common/http-exception.filter';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { answerMetricsCollection, renderClusterMetrics } from '../cluster/cluster-metrics';
import { MetricsService } from './metrics.service';
import { APP_LOGGER } from './observability.tokens';
import { requestLoggingOptions } from './request-logger';
import { routeLabel, statusClass } from './route-label';

/** Prometheus' convention: served at the root, outside the `/api` prefix. */
export const METRICS_PATH = '/metrics';

/**
 * Request logging and request metrics, installed right after the request id is assigned and
 * before the rate limits and the body parser, so requests they refuse (429, 413, bad JSON) are
 * logged and counted like any other.
 */
export function useObservability(app: INestApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  // At `silent` nothing would be written, but pino-http would still build a child logger and
  // serialize the request's headers for every request.
  if (config.logLevel !== 'silent') app.use(pinoHttp(requestLoggingOptions(app.get<Logger>(APP_LOGGER))));
  if (!config.metrics.enabled) return;

  const metrics = app.get(MetricsService);
  metrics.startProcessMetrics();
  // One of several workers (WORKERS above 1): a scrape answers with every worker's series.
  if (cluster.isWorker) answerMetricsCollection(metrics.registry);
  app.use(requestMetrics(metrics));
}

/** Mounts `/metrics` unless METRICS_ENABLED=false. */
export function useMetricsRoute(app: INestApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  if (!config.metrics.enabled) return;
  app.use(METRICS_PATH, metricsHandler(app.get(MetricsService), config.metrics.token));
}

function metricsHandler(metrics: MetricsService, token: string | null) {
  const expected = token === null ? null : Buffer.from(`Bearer ${token}`);
  return (req: Request & { metricsRoute?: string }, res: Response, next: NextFunction): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || (req.path !== '/' && req.path !== '')) return next();
    req.metricsRoute = METRICS_PATH;
    if (expected && !bearerMatches(req.header('authorization'), expected)) {
      const body = toErrorBody(new AppError(ErrorCode.Unauthorized, 'This route needs `Authorization: Bearer <METRICS_TOKEN>`'));
      res.setHeader('www-authenticate', 'Bearer');
      sendErrorBody(res, body);
      return;
    }
    (cluster.isWorker ? renderClusterMetrics() : metrics.render()).then((text) => {
      // res.end, not res.send: Express would add a charset parameter to Prometheus' content type.
      res.setHeader('content-type', metrics.contentType());
      res.end(text);
    }, next);
  };
}

function bearerMatches(given: string | undefined, expected: Buffer): boolean {
  if (!given) return false;
  const candidate = Buffer.from(given);
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

/** Times every request into the latency histogram, labelled by route template and status class. */
export function requestMetrics(metrics: MetricsService): (req: Request, res: Response, next: NextFunction) => void {
  return (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => {
      metrics.requestDuration.observe(
        { method: req.method, route: routeLabel(req), status_class: statusClass(res.statusCode) },
        (performance.now() - started) / 1000,
      );
    });
    next();
  };
}
