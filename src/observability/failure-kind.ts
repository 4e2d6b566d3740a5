import { isPostgresConnectionFailure, postgresStateOf } from '../database/postgres-errors';
import { EmbeddingError } from '../embedding/embedding.errors';
import { VectorStoreError } from '../vector-store/vector-store.errors';

/** The dependency a failure came from, as counted by `recipes_dependency_errors_total`. */
export type FailedDependency = 'vector_store' | 'database' | 'embedder';

/** Where the failure surfaced: an HTTP request, the background indexer, or a metrics scrape. */
export type FailureSource = 'request' | 'indexing' | 'scrape';

/**
 * Which dependency an error came from, or null for the service's own errors (validation,
 * not found, conflicts), which are not dependency failures. TypeORM wraps driver errors in
 * QueryFailedError, sqlite3 tags its own with `SQLITE_*` codes and node-postgres its with a
 * SQLSTATE; all are matched by shape
 * so no driver type leaks in here. A refused or lost PostgreSQL connection arrives as Node's
 * socket error, with no SQLSTATE; vector-store and embedder errors are matched before it.
 */
export function failedDependency(error: unknown): FailedDependency | null {
  if (error instanceof VectorStoreError) return 'vector_store';
  if (error instanceof EmbeddingError) return 'embedder';
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    const { name, code } = cause as { name?: unknown; code?: unknown };
    if (name === 'QueryFailedError' || name === 'CannotExecuteNotConnectedError') return 'database';
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return 'database';
    if (postgresStateOf(cause) !== null || isPostgresConnectionFailure(cause)) return 'database';
    cause = (cause as { cause?: unknown; driverError?: unknown }).driverError ?? (cause as { cause?: unknown }).cause;
  }
  return null;
}
