import { BadRequestException, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
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

  describe('SQLite failures', () => {
    // As node-sqlite3 reports them; TypeORM's QueryFailedError keeps the original as driverError.
    const sqliteError = (code: string, message: string) => Object.assign(new Error(`${code}: ${message}`), { code });
    const queryFailed = (driverError: Error) => new QueryFailedError('INSERT INTO recipes …', [], driverError);

    it('answers 507 DATABASE_FULL when the disk or the page limit is full, naming no path', () => {
      const body = toErrorBody(queryFailed(sqliteError('SQLITE_FULL', 'database or disk is full')));
      expect(body).toEqual({
        statusCode: 507,
        code: 'DATABASE_FULL',
        message: 'The database has no space left; the write was not saved',
      });
    });

    it('answers 503 DATABASE_UNAVAILABLE for a read-only, failing, unopenable or busy database', () => {
      const cases: Array<[string, string]> = [
        ['SQLITE_READONLY', 'attempt to write a readonly database'],
        ['SQLITE_IOERR', 'disk I/O error at /srv/secret/recipes.sqlite'],
        ['SQLITE_IOERR_WRITE', 'disk I/O error'],
        ['SQLITE_CANTOPEN', 'unable to open database file /srv/secret/recipes.sqlite'],
        ['SQLITE_BUSY', 'database is locked'],
      ];
      for (const [code, message] of cases) {
        const body = toErrorBody(queryFailed(sqliteError(code, message)));
        expect(body).toMatchObject({ statusCode: 503, code: 'DATABASE_UNAVAILABLE' });
        expect(body.message).not.toMatch(/secret|sqlite|SQLITE/);
      }
    });

    it('finds the code behind a wrapping error and keeps other SQLite errors a 500', () => {
      const wrapped = new Error('import failed', { cause: sqliteError('SQLITE_FULL', 'database or disk is full') });
      expect(toErrorBody(wrapped)).toMatchObject({ statusCode: 507, code: 'DATABASE_FULL' });
      expect(toErrorBody(queryFailed(sqliteError('SQLITE_CORRUPT', 'database disk image is malformed')))).toMatchObject({
        statusCode: 500,
        code: 'INTERNAL_ERROR',
      });
    });
  });
});
