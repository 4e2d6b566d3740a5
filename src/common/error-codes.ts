import { HttpStatus } from '@nestjs/common';

/** Every error code a client can see. Adding one without a status below fails to compile. */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  InvalidJson = 'INVALID_JSON',
  JsonTooDeep = 'JSON_TOO_DEEP',
  InvalidBodyEncoding = 'INVALID_BODY_ENCODING',
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  RecipeNotFound = 'RECIPE_NOT_FOUND',
  FamilyNotFound = 'FAMILY_NOT_FOUND',
  Conflict = 'CONFLICT',
  RecipeConflict = 'RECIPE_CONFLICT',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  RateLimited = 'RATE_LIMITED',
  VectorStoreUnavailable = 'VECTOR_STORE_UNAVAILABLE',
  EmbeddingUnavailable = 'EMBEDDING_UNAVAILABLE',
  IndexNotReady = 'INDEX_NOT_READY',
  DatabaseFull = 'DATABASE_FULL',
  /** Memory is past its high-water mark: writes that would add recipes are refused (see MemoryBudget). */
  InsufficientMemory = 'INSUFFICIENT_MEMORY',
  DatabaseUnavailable = 'DATABASE_UNAVAILABLE',
  /** A retrain or rebuild of the index is already running (in this or another process). */
  IndexJobRunning = 'INDEX_JOB_RUNNING',
  InternalError = 'INTERNAL_ERROR',
}

/** The one table from error code to HTTP status. */
export const ERROR_STATUS: Record<ErrorCode, HttpStatus> = {
  [ErrorCode.ValidationFailed]: HttpStatus.BAD_REQUEST,
  [ErrorCode.InvalidJson]: HttpStatus.BAD_REQUEST,
  [ErrorCode.JsonTooDeep]: HttpStatus.BAD_REQUEST,
  [ErrorCode.InvalidBodyEncoding]: HttpStatus.BAD_REQUEST,
  [ErrorCode.Unauthorized]: HttpStatus.UNAUTHORIZED,
  [ErrorCode.Forbidden]: HttpStatus.FORBIDDEN,
  [ErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.RecipeNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.FamilyNotFound]: HttpStatus.NOT_FOUND,
  [ErrorCode.Conflict]: HttpStatus.CONFLICT,
  [ErrorCode.RecipeConflict]: HttpStatus.CONFLICT,
  [ErrorCode.PayloadTooLarge]: HttpStatus.PAYLOAD_TOO_LARGE,
  [ErrorCode.UnsupportedMediaType]: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  [ErrorCode.RateLimited]: HttpStatus.TOO_MANY_REQUESTS,
  [ErrorCode.VectorStoreUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.EmbeddingUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.IndexNotReady]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.DatabaseFull]: HttpStatus.INSUFFICIENT_STORAGE,
  [ErrorCode.InsufficientMemory]: HttpStatus.INSUFFICIENT_STORAGE,
  [ErrorCode.DatabaseUnavailable]: HttpStatus.SERVICE_UNAVAILABLE,
  [ErrorCode.IndexJobRunning]: HttpStatus.CONFLICT,
  [ErrorCode.InternalError]: HttpStatus.INTERNAL_SERVER_ERROR,
};
