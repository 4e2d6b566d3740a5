import { BadRequestException, NotFoundException } from '@nestjs/common';
import { EmbeddingUnavailableError } from '../embedding/embedding.errors';
import { VectorStoreUnavailableError } from '../vector-store/vector-store.errors';
import { AppError } from './app-error';
import { ErrorCode } from './error-codes';
import { toErrorBody } from './error-mapper';

describe('toErrorBody', () => {
  beforeAll(() => jest.spyOn(console, 'error').mockImplementation(() => undefined));

  it('turns an unexpected error into a 500 that leaks nothing about it', () => {
    const body = toErrorBody(new Error('SQLITE_CORRUPT at /srv/secret/recipes.sqlite'));
    expect(body).toEqual({ statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error' });
  });

  it('keeps a domain error its code, message and details', () => {
    const body = toErrorBody(new AppError(ErrorCode.RecipeConflict, 'taken', { id: 'r1' }));
    expect(body).toEqual({ statusCode: 409, code: 'RECIPE_CONFLICT', message: 'taken', details: { id: 'r1' } });
  });

  it('answers 503 when the vector store or the embedder is down', () => {
    expect(toErrorBody(new VectorStoreUnavailableError('connect ECONNREFUSED'))).toMatchObject({
      statusCode: 503,
      code: 'VECTOR_STORE_UNAVAILABLE',
    });
    expect(toErrorBody(new EmbeddingUnavailableError('down', 'network'))).toMatchObject({
      statusCode: 503,
      code: 'EMBEDDING_UNAVAILABLE',
    });
  });

  it('maps framework HTTP errors onto the same shape', () => {
    expect(toErrorBody(new NotFoundException('Cannot GET /x'))).toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
    expect(toErrorBody(new BadRequestException('bad'))).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
  });

  it('maps body-parser failures to 413 and 400', () => {
    expect(toErrorBody({ type: 'entity.too.large', status: 413, limit: 1024 })).toMatchObject({
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
      details: { limitBytes: 1024 },
    });
    expect(toErrorBody({ type: 'entity.parse.failed', status: 400 })).toMatchObject({ statusCode: 400, code: 'INVALID_JSON' });
  });
});
