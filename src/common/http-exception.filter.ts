import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ErrorBody } from './app-error';
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
    sendErrorBody(response, body);
  }
}

/**
 * Answers with an error body, the one way every error response is written (the exception
 * filter, the middleware before it, the metrics route), and leaves its code on the response for
 * the request's log line (errorCodeOf).
 */
export function sendErrorBody(response: Response, body: ErrorBody): void {
  (response.locals as ErrorLocals).errorCode = body.code;
  response.status(body.statusCode).json(body);
}

/** The code of the error body a response was answered with, if it was one. */
export function errorCodeOf(response: object): string | undefined {
  return (response as { locals?: ErrorLocals }).locals?.errorCode;
}

interface ErrorLocals {
  errorCode?: string;
}
