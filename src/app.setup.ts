import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { json, NextFunction, Request, Response } from 'express';
import { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/config.module';
import { toErrorBody } from './common/error-mapper';
import { AllExceptionsFilter } from './common/http-exception.filter';
import { requestId } from './common/request-id.middleware';
import { createValidationPipe } from './common/validation';
import { useObservability } from './observability/http-observability';

/** Everything the HTTP layer needs, shared by main.ts and the e2e specs so tests see the real stack. */
export function configureApp(app: INestApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  app.enableCors({
    origin: config.corsOrigins === '*' ? '*' : config.corsOrigins,
    allowedHeaders: ['content-type', 'x-api-key', 'x-request-id'],
    exposedHeaders: ['x-request-id'],
    maxAge: 600,
  });
  app.use(requestId);
  useObservability(app);
  app.use(json({ limit: config.bodyLimitBytes }));
  // Body-parser errors (too large, bad JSON) happen before Nest's filters run.
  app.use((error: unknown, req: Request & { id?: string }, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const body = toErrorBody(error);
    if (req.id) body.requestId = req.id;
    res.status(body.statusCode).json(body);
  });
  app.setGlobalPrefix('api', { exclude: ['docs', 'docs-json'] });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/** The OpenAPI document of every route; also written to docs/openapi.json by `npm run openapi`. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Recipe recommendation service')
      .setDescription(
        'Bilingual (Chinese / English) recipe search, similar dishes, pantry matching and recommendations. ' +
          'Errors are `{ statusCode, code, message, details? }`. Admin routes need the `x-api-key` header.',
      )
      .setVersion('0.1.0')
      .addApiKey({ type: 'apiKey', name: 'x-api-key', in: 'header' }, 'admin')
      .build(),
  );
}
