import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
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
    const body = toErrorBody(exception);
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
  // The id the request-id middleware gave the request, which its header already carries.
  const id = (response.req as { id?: string } | undefined)?.id;
  if (id && body.requestId === undefined) body.requestId = id;
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
