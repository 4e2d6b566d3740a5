import { QueryFailedError } from 'typeorm';
import { toErrorBody } from '../common/error-mapper';
import { ErrorCode } from '../common/error-codes';
import { failedDependency } from '../observability/failure-kind';
import { isPostgresConnectionFailure, postgresStateOf } from './postgres-errors';
import { isStorageFailure } from './sqlite-errors';

/** node-postgres's server error: a message, the SQLSTATE as `code`, and a severity. */
function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code, severity: 'ERROR' });
}
const queryFailed = (driverError: Error) => new QueryFailedError('INSERT INTO recipes …', [], driverError);

describe('PostgreSQL errors', () => {
  it('answers a full disk with the same 507 as SQLite, without the server message', () => {
    const error = queryFailed(pgError('53100', 'could not extend file "base/16384/16402": No space left on device'));
    expect(toErrorBody(error)).toMatchObject({ statusCode: 507, code: ErrorCode.DatabaseFull });
    expect(toErrorBody(error).message).not.toMatch(/base\/16384/);
    expect(isStorageFailure(error)).toBe(true);
  });

  it('answers a read-only or restarting server and a deadlock with 503', () => {
    for (const [code, message] of [
      ['25006', 'cannot execute INSERT in a read-only transaction'],
      ['57P01', 'terminating connection due to administrator command'],
      ['40P01', 'deadlock detected'],
    ]) {
      expect(toErrorBody(queryFailed(pgError(code, message)))).toMatchObject({ statusCode: 503, code: ErrorCode.DatabaseUnavailable });
    }
  });

  it('answers a server that is stopped, unreachable or gone mid-query with 503, as SQLite’s unopenable file', () => {
    // Node's socket error as node-postgres hands it on from a failed connect.
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
      errno: -111,
      syscall: 'connect',
      address: '127.0.0.1',
      port: 5432,
    });
    const errors = [
      refused,
      queryFailed(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' })),
      queryFailed(new Error('Connection terminated unexpectedly')),
      new Error('Connection terminated due to connection timeout', { cause: new Error('Connection terminated unexpectedly') }),
      new Error('timeout exceeded when trying to connect'),
      queryFailed(new Error('Client has encountered a connection error and is not queryable')),
    ];
    for (const error of errors) {
      expect(isPostgresConnectionFailure(error)).toBe(true);
      const body = toErrorBody(error);
      expect(body).toEqual({
        statusCode: 503,
        code: ErrorCode.DatabaseUnavailable,
        message: 'The database is unavailable; try again shortly',
      });
      expect(failedDependency(error)).toBe('database');
    }
    // The client's message (which names the server's address) is logged, not sent.
    expect(JSON.stringify(toErrorBody(refused))).not.toMatch(/127\.0\.0\.1/);
    expect(isPostgresConnectionFailure(new Error('Connection refused by policy'))).toBe(false);
  });

  it('leaves constraint errors and codes that are not the server’s to the usual handling', () => {
    expect(toErrorBody(queryFailed(pgError('23505', 'duplicate key value violates unique constraint')))).toMatchObject({ statusCode: 500 });
    expect(postgresStateOf(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).toBeNull();
    expect(postgresStateOf(Object.assign(new Error('odd'), { code: '53100' }))).toBeNull();
    expect(failedDependency(pgError('23505', 'duplicate'))).toBe('database');
  });
});
