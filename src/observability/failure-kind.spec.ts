import { QueryFailedError } from 'typeorm';
import { EmbeddingUnavailableError } from '../embedding/embedding.errors';
import { AppError } from '../common/app-error';
import { ErrorCode } from '../common/error-codes';
import { VectorDimensionMismatchError, VectorStoreUnavailableError } from '../vector-store/vector-store.errors';
import { failedDependency } from './failure-kind';

describe('failedDependency', () => {
  it('names the vector store for any of its errors', () => {
    expect(failedDependency(new VectorStoreUnavailableError('down'))).toBe('vector_store');
    expect(failedDependency(new VectorDimensionMismatchError('dense', 64, 32))).toBe('vector_store');
  });

  it('names the embedder when the embedding service fails', () => {
    expect(failedDependency(new EmbeddingUnavailableError('timed out', 'timeout'))).toBe('embedder');
  });

  it('names the database for TypeORM query failures and sqlite errors, wrapped or not', () => {
    const busy = Object.assign(new Error('SQLITE_BUSY: database is locked'), { code: 'SQLITE_BUSY' });
    expect(failedDependency(new QueryFailedError('SELECT 1', [], busy))).toBe('database');
    expect(failedDependency(busy)).toBe('database');
    expect(failedDependency(new Error('import failed', { cause: busy }))).toBe('database');
  });

  it("does not count the service's own errors", () => {
    expect(failedDependency(new AppError(ErrorCode.NotFound, 'no such recipe'))).toBeNull();
    expect(failedDependency(new TypeError('x is undefined'))).toBeNull();
    expect(failedDependency('a string')).toBeNull();
    expect(failedDependency(undefined)).toBeNull();
  });
});
