/**
 * PostgreSQL's counterparts of the SQLite result codes the service acts on, by SQLSTATE
 * (node-postgres sets it as `code` on the server's error; TypeORM keeps that error as
 * `driverError`). Each maps to the SQLite code whose handling it needs, so a full disk answers
 * the same 503 whichever database the catalog is on.
 */
const AS_SQLITE: Record<string, string> = {
  // disk_full: the server could not extend a file or write WAL.
  '53100': 'SQLITE_FULL',
  // read_only_sql_transaction: connected to a standby, or default_transaction_read_only.
  '25006': 'SQLITE_READONLY',
  // io_error, system_error, data_corrupted
  '58030': 'SQLITE_IOERR',
  '58000': 'SQLITE_IOERR',
  XX001: 'SQLITE_IOERR',
  // The server shuts down, restarts, or refuses connections for now.
  '57P01': 'SQLITE_CANTOPEN',
  '57P02': 'SQLITE_CANTOPEN',
  '57P03': 'SQLITE_CANTOPEN',
  '08000': 'SQLITE_CANTOPEN',
  '08001': 'SQLITE_CANTOPEN',
  '08003': 'SQLITE_CANTOPEN',
  '08004': 'SQLITE_CANTOPEN',
  '08006': 'SQLITE_CANTOPEN',
  // too_many_connections, out_of_memory: try again shortly.
  '53300': 'SQLITE_BUSY',
  '53200': 'SQLITE_BUSY',
  // serialization_failure, deadlock_detected, lock_not_available, query_canceled (statement
  // or lock timeout): what SQLITE_BUSY is after the busy timeout.
  '40001': 'SQLITE_BUSY',
  '40P01': 'SQLITE_BUSY',
  '55P03': 'SQLITE_BUSY',
  '57014': 'SQLITE_BUSY',
};

/** The SQLSTATE of a PostgreSQL server error, following `driverError` and `cause` like sqliteCodeOf. */
export function postgresStateOf(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const candidate = current as { code?: unknown; severity?: unknown; driverError?: unknown; cause?: unknown };
    // node-postgres's DatabaseError carries the severity next to the code; a bare 5-character
    // code elsewhere (an errno, an HTTP client's) is not the server's.
    if (typeof candidate.code === 'string' && typeof candidate.severity === 'string' && /^[0-9A-Z]{5}$/.test(candidate.code)) {
      return candidate.code;
    }
    current = candidate.driverError ?? candidate.cause;
  }
  return null;
}

/**
 * Socket errors of a connection to the server. A server that is stopped refuses new
 * connections (ECONNREFUSED); one that crashes or restarts drops those open (ECONNRESET, EPIPE);
 * one that cannot be reached times out or cannot be resolved (a container gone from its
 * network). None of these has a SQLSTATE: node-postgres hands on Node's own socket error.
 */
const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * What node-postgres and its pool say, with no code, when a connection is lost or cannot be
 * had: the server closed the socket, a client is used after its connection failed, no
 * connection came within connectionTimeoutMillis (a server that does not answer, or every
 * pooled connection busy that long).
 */
const CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  /^timeout exceeded when trying to connect$/,
];

/**
 * Whether the error is a lost or refused connection to the server rather than an answer from
 * it, following `driverError` and `cause` like postgresStateOf: TypeORM hands on a failed
 * pool connect as the socket error itself and wraps one lost during a query in
 * QueryFailedError. Other network clients of the service (Qdrant) wrap their errors in their
 * own types, which the error mapper handles first.
 */
export function isPostgresConnectionFailure(error: unknown): boolean {
  return connectionFailureOf(error) !== null;
}

/** The socket errno of a lost or refused connection, `CONNECTION_LOST` for a coded-less one, or null. */
function connectionFailureOf(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const candidate = current as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && CONNECTION_ERRNOS.has(candidate.code)) return candidate.code;
    if (typeof candidate.message === 'string' && CONNECTION_MESSAGES.some((pattern) => pattern.test(candidate.message as string)))
      return 'CONNECTION_LOST';
    current = candidate.driverError ?? candidate.cause;
  }
  return null;
}

/**
 * What PostgreSQL itself said, for an operator to read: the SQLSTATE, or the socket errno of a
 * connection that failed (`CONNECTION_LOST` when node-postgres gave no code). Never the server's
 * message, which may name a user or a database.
 */
export function postgresOwnCodeOf(error: unknown): string | null {
  return postgresStateOf(error) ?? connectionFailureOf(error);
}

/**
 * The SQLite code a PostgreSQL error is handled as, or null when it is none the service acts on.
 * A connection that cannot be had is the server's "cannot open" as much as 57P01-57P03 are:
 * while it is stopped every request fails this way, and the pool connects again once it is back.
 */
export function postgresAsSqliteCode(error: unknown): string | null {
  const state = postgresStateOf(error);
  if (state !== null) return AS_SQLITE[state] ?? null;
  return isPostgresConnectionFailure(error) ? 'SQLITE_CANTOPEN' : null;
}
