import type { Server } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { Express, NextFunction, Request, Response } from 'express';
import { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/config.module';
import { ErrorResponseDto } from './common/dto/error-response.dto';
import { FieldProblemDto } from './common/dto/field-problem.dto';
import { toErrorBody } from './common/error-mapper';
import { AllExceptionsFilter, sendErrorBody } from './common/http-exception.filter';
import { requestId } from './common/request-id.middleware';
import { createValidationPipe } from './common/validation';
import { rejectDeclaredOversize } from './http/declared-length.middleware';
import { readJsonBodies } from './http/json-body.interceptor';
import { readAdmission } from './http/read-admission';
import { ClientRateLimiter } from './http/rate-limiters';
import { securityHeaders } from './http/security-headers';
import { useMetricsRoute, useObservability } from './observability/http-observability';
import { MetricsService } from './observability/metrics.service';

const DOCS_PATH = 'docs';

/** Everything the HTTP layer needs, shared by main.ts and the e2e specs so tests see the real stack. */
export function configureApp(app: INestApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  app.enableCors({
    origin: config.corsOrigins === '*' ? '*' : config.corsOrigins,
    // content-encoding: a browser app may send its body gzipped (see readJsonBodies).
    allowedHeaders: ['content-type', 'content-encoding', 'x-api-key', 'x-request-id'],
    exposedHeaders: ['x-request-id', 'retry-after'],
    maxAge: 600,
  });
  keepConnectionsAlive(app.getHttpServer() as Server, config.keepAliveTimeoutMs);
  const express = app.getHttpAdapter().getInstance() as Express;
  express.disable('x-powered-by');
  express.set('trust proxy', config.trustProxy);
  app.use(requestId);
  useObservability(app);
  app.use(securityHeaders(DOCS_PATH));
  app.use(app.get(ClientRateLimiter).middleware());
  // Behind the client budget like every route: with METRICS_TOKEN set, tokens cannot be tried without limit.
  useMetricsRoute(app);
  app.use(rejectDeclaredOversize(config.bodyLimitBytes));
  app.use(readAdmission(config.readConcurrency));
  // Errors of the middleware above (rate limit, declared size) happen before Nest's filters run.
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    sendErrorBody(res, toErrorBody(error));
  });
  app.setGlobalPrefix('api', { exclude: [DOCS_PATH, `${DOCS_PATH}-json`] });
  // Bodies are read after the guards (admin key, admin-key failures), before validation.
  readJsonBodies(app, { limitBytes: config.bodyLimitBytes, maxDepth: config.jsonMaxDepth });
  app.useGlobalPipes(createValidationPipe());
  const metrics = app.get(MetricsService);
  app.useGlobalFilters(new AllExceptionsFilter((error) => metrics.recordFailure(error, 'request')));

  const document = buildOpenApiDocument(app);
  // No validator badge: it would load an image from validator.swagger.io, which the page's CSP refuses.
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: `${DOCS_PATH}-json`, swaggerOptions: { validatorUrl: null } });
}

/**
 * Idle kept-alive connections stay open longer than clients and proxies keep theirs (Node's
 * fetch 4 s by default; 60 s is a common load-balancer idle timeout), so it is always the client
 * that closes an idle connection. With Node's default of 5 s, a request sent on a connection
 * the server was closing at that moment was reset: a fetch at the 1,000,000-recipe scale failed
 * with ECONNRESET after the service's garbage collections had held its event loop past the 5 s.
 * `headersTimeout` stays Node's (it no longer has to exceed this one); on Node 20 `close()`
 * still ends idle connections at once, so a shutdown does not wait for them.
 */
function keepConnectionsAlive(server: Server, timeoutMs: number): void {
  server.keepAliveTimeout = timeoutMs;
}

/** The OpenAPI document of every route; also written to docs/openapi.json by `npm run openapi`. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Recipe recommendation service')
      .setDescription(
        'Bilingual (Chinese / English) recipe search, similar dishes, pantry matching and recommendations. ' +
          'Errors are `{ statusCode, code, message, details?, requestId? }` (ErrorResponseDto). Admin routes need the `x-api-key` header.',
      )
      .setVersion('0.1.0')
      .addApiKey({ type: 'apiKey', name: 'x-api-key', in: 'header' }, 'admin')
      .build(),
    { extraModels: [ErrorResponseDto, FieldProblemDto] },
  );
  return withErrorBodies(document);
}

/**
 * Every error response has the one body AllExceptionsFilter writes, so it is declared once here,
 * not per route; so are the 401 and 403 of every route behind the admin key, the rate limit's
 * 429 of every route, the 400 of every route that reads parameters or a body, and the 413 and
 * 415 of every route that reads a body.
 */
function withErrorBodies(document: OpenAPIObject): OpenAPIObject {
  const schema = { $ref: `#/components/schemas/${ErrorResponseDto.name}` };
  type Operation = {
    security?: Array<Record<string, unknown>>;
    parameters?: unknown[];
    requestBody?: unknown;
    responses?: Record<string, { description: string; content?: unknown }>;
  };
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations) as Operation[]) {
      operation.responses ??= {};
      const body = operation.requestBody !== undefined;
      if (body || (operation.parameters ?? []).length > 0) {
        operation.responses['400'] ??= {
          description:
            'VALIDATION_FAILED: `details` lists each bad field' +
            (body ? '; INVALID_JSON, JSON_TOO_DEEP or INVALID_BODY_ENCODING: the body cannot be read' : ''),
        };
      }
      if (body) {
        operation.responses['413'] ??= { description: 'PAYLOAD_TOO_LARGE: the body (after gzip inflation) is over BODY_LIMIT' };
        operation.responses['415'] ??= {
          description: 'UNSUPPORTED_MEDIA_TYPE: the body is not JSON in UTF-8, or its Content-Encoding is not gzip',
        };
      }
      if (operation.security?.some((requirement) => 'admin' in requirement)) {
        operation.responses['401'] ??= { description: 'UNAUTHORIZED: no `x-api-key` header' };
        operation.responses['403'] ??= {
          description: 'FORBIDDEN: the `x-api-key` is not the admin key (repeated wrong keys are rate limited)',
        };
      }
      operation.responses['429'] ??= {
        description: 'RATE_LIMITED: over the per-client budget (RATE_LIMIT_PER_MINUTE); `retry-after` says when to retry',
      };
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400 && response.content === undefined) response.content = { 'application/json': { schema } };
      }
    }
  }
  return document;
}
