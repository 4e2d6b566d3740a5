import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { toErrorBody } from './error-mapper';

/**
 * One place where every error becomes `{ statusCode, code, message, details }`, and where it is
 * reported (`onError`: the metrics count the database, vector-store and embedder failures among them).
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly onError: (exception: unknown) => void = () => undefined) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    this.onError(exception);
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request & { id?: string }>();
    const body = toErrorBody(exception);
    if (request?.id) body.requestId = request.id;
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }
}
