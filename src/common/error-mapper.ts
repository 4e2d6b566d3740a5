import { HttpException, HttpStatus, Logger } from '@nestjs/common';
import {
  VectorCollectionConfigMismatchError,
  VectorCollectionMissingError,
  VectorDimensionMismatchError,
  VectorStoreUnavailableError,
} from '../vector-store/vector-store.errors';
import { EmbeddingUnavailableError } from '../embedding/embedding.errors';
import { sqliteCodeOf } from '../database/sqlite-errors';
import { AppError, ErrorBody } from './app-error';
import { ERROR_STATUS, ErrorCode } from './error-codes';

const logger = new Logger('Errors');

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: ErrorCode.ValidationFailed,
  [HttpStatus.UNAUTHORIZED]: ErrorCode.Unauthorized,
  [HttpStatus.FORBIDDEN]: ErrorCode.Forbidden,
  [HttpStatus.NOT_FOUND]: ErrorCode.NotFound,
  [HttpStatus.CONFLICT]: ErrorCode.Conflict,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ErrorCode.PayloadTooLarge,
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: ErrorCode.UnsupportedMediaType,
  [HttpStatus.TOO_MANY_REQUESTS]: ErrorCode.RateLimited,
  [HttpStatus.SERVICE_UNAVAILABLE]: ErrorCode.VectorStoreUnavailable,
};

function body(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return details === undefined
    ? { statusCode: ERROR_STATUS[code], code, message }
    : { statusCode: ERROR_STATUS[code], code, message, details };
}

/** Turns anything thrown into the contract's error body. Unknown errors leak nothing. */
export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof AppError) return body(error.code, error.message, error.details);

  if (error instanceof VectorStoreUnavailableError) {
    return body(ErrorCode.VectorStoreUnavailable, 'The vector store is unavailable; try again shortly');
  }
  if (error instanceof VectorCollectionMissingError || error instanceof VectorDimensionMismatchError) {
    logger.error(error.message);
    return body(ErrorCode.IndexNotReady, 'The search index is not ready for the current model; run a reindex');
  }
  if (error instanceof VectorCollectionConfigMismatchError) {
    logger.error(error.message);
    return body(
      ErrorCode.IndexNotReady,
      'The search index was built with other vector settings than the current model needs; recreate it with a full reindex',
    );
  }
  if (error instanceof EmbeddingUnavailableError) {
    return body(ErrorCode.EmbeddingUnavailable, 'The embedding service is unavailable; try again shortly');
  }

  const database = databaseFailure(error);
  if (database) return database;

  if (error instanceof HttpException) {
    const status = error.getStatus();
    const code = STATUS_CODES[status];
    const response = error.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? (response as { message: unknown }).message
        : error.message;
    const text = typeof message === 'string' ? message : error.message;
    // A 400 the framework or Express raised (an undecodable path, a param pipe) has no field of
    // its own, but a client reads `details` on every VALIDATION_FAILED.
    const requestProblem = [{ field: 'request', problems: [text] }];
    if (code) {
      return { ...body(code, text, code === ErrorCode.ValidationFailed ? requestProblem : undefined), statusCode: status };
    }
    if (status < 500) {
      return { statusCode: status, code: ErrorCode.ValidationFailed, message: text, details: requestProblem };
    }
  }

  logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return body(ErrorCode.InternalError, 'Internal server error');
}

/**
 * SQLite failures a client can act on: retry later. The driver's message (which may name the
 * file) is logged, never sent. A failed transaction is rolled back whole (see
 * serializeTransactions), so a write answered with one of these left nothing behind.
 */
function databaseFailure(error: unknown): ErrorBody | null {
  const code = sqliteCodeOf(error);
  if (code === null) return null;
  switch (code) {
    case 'SQLITE_FULL':
      logger.error(`Database full: ${messageOf(error)}`);
      return body(ErrorCode.DatabaseFull, 'The database has no space left; the write was not saved');
    case 'SQLITE_READONLY':
    case 'SQLITE_IOERR':
    case 'SQLITE_CANTOPEN':
      logger.error(`Database unavailable: ${messageOf(error)}`);
      return body(ErrorCode.DatabaseUnavailable, 'The database is unavailable; try again shortly');
    // SQLite answers BUSY or LOCKED only after the connection's busy timeout has run out.
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      logger.warn(`Database busy: ${messageOf(error)}`);
      return body(ErrorCode.DatabaseUnavailable, 'The database is busy; try again shortly');
    default:
      return null;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
