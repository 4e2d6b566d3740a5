import { postgresAsSqliteCode, postgresOwnCodeOf } from './postgres-errors';

/**
 * SQLite result codes that say the database cannot take writes right now (as opposed to a
 * constraint or a bug): the disk or the page limit is full, the file is read-only, the disk
 * failed, or the file cannot be opened.
 */
const STORAGE_FAILURES = new Set(['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR', 'SQLITE_CANTOPEN']);

/**
 * The SQLite result code behind an error, if any: node-sqlite3 sets `code`, TypeORM's
 * QueryFailedError copies it and keeps the original as `driverError`, and wrappers keep it as
 * `cause`. Extended codes (`SQLITE_IOERR_WRITE`) are reduced to their primary code. A
 * PostgreSQL error the service acts on (a full disk, a server going away) answers the SQLite
 * code it is handled as (see postgres-errors.ts), so every caller treats both databases alike.
 */
export function sqliteCodeOf(error: unknown): string | null {
  return sqliteOwnCodeOf(error) ?? postgresAsSqliteCode(error);
}

/**
 * The code the database itself gave, for reports an operator reads: the SQLite result code, or
 * PostgreSQL's SQLSTATE or socket errno (`sqliteCodeOf` gives the SQLite code both are handled
 * as, so "SQLITE_CANTOPEN" for a PostgreSQL server that refuses connections).
 */
export function databaseCodeOf(error: unknown): string | null {
  return sqliteOwnCodeOf(error) ?? postgresOwnCodeOf(error);
}

function sqliteOwnCodeOf(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const candidate = current as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    const fromCode = typeof candidate.code === 'string' ? candidate.code : null;
    const fromMessage = typeof candidate.message === 'string' ? /^(?:Error: )?(SQLITE_[A-Z_]+):/.exec(candidate.message)?.[1] : null;
    const code = primary(fromCode) ?? primary(fromMessage ?? null);
    if (code) return code;
    current = candidate.driverError ?? candidate.cause;
  }
  return null;
}

/** Whether the error means writes fail until an operator frees space or fixes the file. */
export function isStorageFailure(error: unknown): boolean {
  const code = sqliteCodeOf(error);
  return code !== null && STORAGE_FAILURES.has(code);
}

function primary(code: string | null): string | null {
  if (!code?.startsWith('SQLITE_')) return null;
  for (const known of [...STORAGE_FAILURES, 'SQLITE_BUSY', 'SQLITE_LOCKED']) {
    if (code === known || code.startsWith(`${known}_`)) return known;
  }
  return code;
}
