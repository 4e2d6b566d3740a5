import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Logger } from '@nestjs/common';
import sqlite3 from 'sqlite3';
import { DataSource, DataSourceOptions, EntityManager } from 'typeorm';
import { MIGRATIONS } from './migrations';
import { dialectOf, execute, queryRows } from './sql';
import { DatabaseWriteHealth } from './write-health';

const logger = new Logger('Database');

/**
 * The sqlite3 module with its verbose mode left off. TypeORM's driver calls `verbose()`, which
 * wraps every query to capture a stack trace and `util.inspect` each argument, parameters
 * included: a bulk's 30-row INSERT inspected up to 100 values of up to 10,000 characters each,
 * and a read-heavy minute spent about 5% of the event loop in that wrapper alone (CPU profile
 * of `npm run bench -- --only load`). Errors keep their code and message; only the extra
 * "--> in Database#all(...)" lines are gone from their stacks.
 */
const quietSqlite: typeof sqlite3 = Object.assign(Object.create(sqlite3) as typeof sqlite3, { verbose: () => quietSqlite });

/**
 * Where the catalog lives: a `postgres://` URL selects PostgreSQL, anything else is a SQLite
 * file path (or `:memory:`).
 */
export function databaseLocation(config: { databasePath: string; databaseUrl: string | null }): string {
  return config.databaseUrl ?? config.databasePath;
}

export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

export function dataSourceOptions(location: string): DataSourceOptions {
  if (isPostgresUrl(location)) return postgresOptions(location);
  if (location !== ':memory:') mkdirSync(dirname(location), { recursive: true });
  return {
    type: 'sqlite',
    driver: quietSqlite,
    database: location,
    // Every table is read and written with SQL in its repository (src/**/*.repository.ts).
    entities: [],
    migrations: MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    logging: ['error'],
    // WAL lets readers continue while the indexer and importers write.
    enableWAL: true,
    busyTimeout: 10_000,
  };
}

function postgresOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: [],
    migrations: MIGRATIONS,
    // Run by initializeDataSource, under a lock.
    migrationsRun: false,
    synchronize: false,
    logging: ['error'],
    // Counts and epoch-millisecond columns are BIGINT, which node-postgres hands back as strings
    // by default; every value the service stores fits a double exactly.
    parseInt8: true,
    applicationName: 'recipes',
    extra: {
      max: POSTGRES_POOL_SIZE,
      // The counterpart of SQLite's busy timeout: a pool exhausted for this long (or a server
      // that does not answer) fails the request with a database error instead of hanging it.
      connectionTimeoutMillis: 10_000,
    },
  };
}

/**
 * Connections per process. Transactions take their turn one at a time (serializeTransactions),
 * so the pool serves the reads beside them: search and recommendations read the catalog from
 * memory, and 10 was more than the e2e suites and a seeding import ever held at once.
 */
const POSTGRES_POOL_SIZE = 10;

/** For scripts and tests that need the database without the Nest app. */
export async function openDataSource(location: string): Promise<DataSource> {
  return serializeTransactions(await initializeDataSource(dataSourceOptions(location)));
}

/**
 * Connects and brings the schema up to date. On PostgreSQL several processes may start at once
 * against one database (replicas, an admin command beside the server); TypeORM's migration run
 * takes no lock, so both would see an empty migrations table and the second would fail
 * half-way. They queue on a session advisory lock instead, and the second finds nothing to do.
 */
export async function initializeDataSource(options: DataSourceOptions): Promise<DataSource> {
  if (options.type !== 'postgres') return new DataSource(options).initialize();
  const dataSource = await new DataSource({ ...options, migrationsRun: false }).initialize();
  try {
    await withAdvisoryLock(dataSource, MIGRATION_LOCK_KEY, () => dataSource.runMigrations({ transaction: 'all' }));
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
  return dataSource;
}

/** Advisory-lock keys are one number space per database; these are the service's. */
export const MIGRATION_LOCK_KEY = 7_301_001;
/** Held while a starting server seeds an empty catalog and brings the index up to date. */
export const STARTUP_LOCK_KEY = 7_301_003;
/** Held by every transaction that stamps recipe writes or queues index work, until it ends (see holdCatalogWriteLock). */
export const CATALOG_WRITE_LOCK_KEY = 7_301_004;

/**
 * Makes `manager`'s transaction take its turn among the catalog's writers on PostgreSQL, until
 * it ends. Replicas' transactions otherwise run at once, and what they draw at the start (an
 * `updated_at` stamp, outbox row numbers) becomes visible at their commit, which can come in the
 * other order: a reader that had seen the later one missed the earlier one for good (see
 * RecipeRowsRepository.writeStamp and IndexOutboxRepository.maxId). SQLite's transactions hold
 * its one write lock from BEGIN already.
 */
export function holdCatalogWriteLock(manager: EntityManager): Promise<void> {
  return holdTransactionLock(manager, CATALOG_WRITE_LOCK_KEY);
}

/**
 * Takes the advisory lock `key` for the rest of `manager`'s transaction on PostgreSQL, so
 * processes doing the same take turns until it ends. On SQLite (one writer at a time, from
 * BEGIN) nothing to do.
 */
export async function holdTransactionLock(manager: EntityManager, key: number): Promise<void> {
  if (dialectOf(manager) === 'postgres') await execute(manager, 'SELECT pg_advisory_xact_lock(?)', [key]);
}

/**
 * Runs `work` holding a session advisory lock on PostgreSQL, so processes doing it at the same
 * moment take turns; the lock goes with the connection if the process dies. On SQLite (one
 * server per file) `work` simply runs.
 */
export async function withAdvisoryLock<T>(dataSource: DataSource, key: number, work: () => Promise<T>): Promise<T> {
  if (dataSource.options.type !== 'postgres') return work();
  const runner = dataSource.createQueryRunner();
  try {
    await execute(runner, 'SELECT pg_advisory_lock(?)', [key]);
    try {
      return await work();
    } finally {
      // A connection lost meanwhile took its session's lock with it: nothing left to release.
      await execute(runner, 'SELECT pg_advisory_unlock(?)', [key]).catch(() => undefined);
    }
  } finally {
    await runner.release();
  }
}

/**
 * TypeORM drives SQLite over one connection, so two transactions started at once (an import
 * while the indexer writes vectors) interleave on it and corrupt each other's savepoints. Every
 * transaction through the data source's manager therefore waits for the previous one to end.
 * A transaction must not start another through the data source (it would wait for itself):
 * work inside one uses the manager it is given, and must not swallow a database error (after
 * SQLITE_FULL SQLite may have rolled the whole transaction back, and what ran after it would
 * commit on its own).
 *
 * A failed transaction also resets the connection before the next one starts. SQLite rolls a
 * transaction back by itself when a statement or the COMMIT fails with SQLITE_FULL or an I/O
 * error; TypeORM's ROLLBACK then fails ("no transaction is active") and its query runner keeps
 * counting an open transaction, so every later transaction became a SAVEPOINT inside a
 * transaction that never committed, and was lost with the next failure while its clients had
 * been told it was saved.
 */
export function serializeTransactions(dataSource: DataSource): DataSource {
  const manager = dataSource.manager;
  if (dialectOf(dataSource) !== 'postgres') beginImmediately(dataSource);
  const start = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  const writeHealth = new DatabaseWriteHealth(dataSource);
  writeHealths.set(dataSource, writeHealth);
  const queue: WriteQueue = { tail: Promise.resolve(), ended: 0 };
  queues.set(dataSource, queue);
  const topLevel = async (args: unknown[]): Promise<unknown> => {
    // Left over from a reset that could not finish: try again, or refuse rather than nest.
    if (!runnerIsIdle(dataSource)) await restoreConnection(dataSource);
    try {
      return await start(...args);
    } catch (error) {
      writeHealth.noteFailure(error);
      // PostgreSQL: TypeORM rolled back on the transaction's own pooled connection and released
      // it (a broken one is dropped by the pool), so the next transaction starts clean.
      if (dialectOf(dataSource) === 'postgres') throw error;
      await restoreConnection(dataSource).catch((resetError) =>
        logger.error(`The database connection could not be reset: ${messageOf(resetError)}`),
      );
      throw error;
    }
  };
  manager.transaction = ((...args: unknown[]) => inTurn(queue, () => topLevel(args))) as typeof manager.transaction;
  return dataSource;
}

/**
 * One write statement, in its turn among the transactions (see serializeTransactions) and
 * committed on its own: SQLite makes a single statement atomic, so a write that fits in one
 * needs no BEGIN and COMMIT. Each of those is a turn of the event loop, and next to busy
 * readers a turn took tens of milliseconds, so the turns a write needs set its latency.
 * PostgreSQL runs a lone statement in its own transaction as well. `sql` uses `?` placeholders;
 * the rows are those of its RETURNING clause (on SQLite only when the statement does not start
 * with INSERT, which TypeORM runs without reading rows: start it with a WITH).
 */
export function writeStatement<T>(dataSource: DataSource, sql: string, parameters: unknown[]): Promise<T[]> {
  return inWriteTurn(dataSource, () => queryRows<T>(dataSource, sql, parameters));
}

/** {@link writeStatement} for a statement whose answer is how many rows it changed (an UPDATE or DELETE without RETURNING). */
export function writeStatementChanging(dataSource: DataSource, sql: string, parameters: unknown[]): Promise<number> {
  return inWriteTurn(dataSource, () => execute(dataSource, sql, parameters));
}

function inWriteTurn<T>(dataSource: DataSource, work: () => Promise<T>): Promise<T> {
  const queue = queues.get(dataSource);
  if (!queue) throw new Error('The data source was opened without serializeTransactions');
  return inTurn(queue, async () => {
    if (!runnerIsIdle(dataSource)) await restoreConnection(dataSource);
    try {
      return await work();
    } catch (error) {
      writeHealthOf(dataSource).noteFailure(error);
      throw error;
    }
  });
}

/**
 * Write statements that land together: one alone in its turn (writeStatement), several in one
 * transaction, none not at all. A write that usually fits one statement (an outbox batch's
 * deletion, a new recipe's points) then takes one turn of the event loop instead of three
 * (BEGIN, the statement, COMMIT); behind four search clients at 100,000 recipes a turn took
 * 30–200 ms.
 */
export async function writeStatements(dataSource: DataSource, statements: ReadonlyArray<[string, unknown[]]>): Promise<void> {
  if (statements.length === 0) return;
  if (statements.length === 1) {
    await writeStatement(dataSource, ...statements[0]);
    return;
  }
  await dataSource.transaction(async (manager) => {
    for (const [sql, parameters] of statements) await execute(manager, sql, parameters);
  });
}

/**
 * Top-level SQLite transactions begin IMMEDIATE: they take the write lock at BEGIN, where the
 * busy timeout applies. TypeORM begins them DEFERRED, and in WAL mode a transaction that read
 * first and then wrote, after another process (a server beside an admin command) had committed
 * meanwhile, failed at once with SQLITE_BUSY: SQLite cannot upgrade a stale snapshot, so it
 * does not wait. Readers are not blocked by the write lock in WAL mode, and this process runs
 * its transactions one at a time anyway (see serializeTransactions).
 */
function beginImmediately(dataSource: DataSource): void {
  const runner = sqliteRunner(dataSource) as unknown as { query: (sql: string, ...rest: unknown[]) => Promise<unknown> };
  const query = runner.query.bind(runner);
  runner.query = (sql, ...rest) => query(sql === 'BEGIN TRANSACTION' ? 'BEGIN IMMEDIATE TRANSACTION' : sql, ...rest);
}

/** The turns of a data source's transactions and write statements, and how many have ended. */
interface WriteQueue {
  tail: Promise<unknown>;
  ended: number;
}

const queues = new WeakMap<DataSource, WriteQueue>();

function inTurn<T>(queue: WriteQueue, work: () => Promise<T>): Promise<T> {
  const run = queue.tail.then(work).finally(() => {
    queue.ended++;
  });
  queue.tail = run.catch(() => undefined);
  return run;
}

/**
 * How many transactions and write statements of this process have ended on `dataSource`,
 * committed or rolled back: it moves after every write this process makes (see
 * RecipeRowsRepository.changeMark, which adds what other processes commit).
 */
export function writesEnded(dataSource: DataSource): number {
  const queue = queues.get(dataSource);
  if (!queue) throw new Error('The data source was opened without serializeTransactions');
  return queue.ended;
}

const writeHealths = new WeakMap<DataSource, DatabaseWriteHealth>();

/** Whether the database takes writes, as seen by the transactions of this data source. */
export function writeHealthOf(dataSource: DataSource): DatabaseWriteHealth {
  const health = writeHealths.get(dataSource);
  if (!health) throw new Error('The data source was opened without serializeTransactions');
  return health;
}

/** What TypeORM's SQLite driver and its one query runner keep, not part of its typings. */
interface SqliteConnection {
  run(sql: string, callback: (error: Error | null) => void): unknown;
  close(callback: (error: Error | null) => void): void;
}
interface SqliteDriverState {
  databaseConnection: SqliteConnection;
  createQueryRunner(): unknown;
  createDatabaseConnection(): Promise<SqliteConnection>;
}
interface SqliteRunnerState {
  isTransactionActive: boolean;
  transactionDepth: number;
}

function sqliteRunner(dataSource: DataSource): SqliteRunnerState {
  // The SQLite driver hands out one query runner for the whole data source.
  return (dataSource.driver as unknown as SqliteDriverState).createQueryRunner() as SqliteRunnerState;
}

function runnerIsIdle(dataSource: DataSource): boolean {
  // PostgreSQL gives every transaction its own pooled connection: nothing is shared to go stale.
  if (dialectOf(dataSource) === 'postgres') return true;
  const runner = sqliteRunner(dataSource);
  return !runner.isTransactionActive && runner.transactionDepth === 0;
}

/**
 * Ends whatever transaction SQLite may still hold and tells the query runner none is open.
 * ROLLBACK on the raw connection answers "no transaction is active" when SQLite already rolled
 * back, which is the common case; if it fails otherwise the connection is replaced (closing it
 * discards its transaction), so the next transaction always starts with BEGIN.
 */
async function restoreConnection(dataSource: DataSource): Promise<void> {
  // Closed meanwhile (shutdown while background work still ran): nothing to restore or reopen.
  if (!dataSource.isInitialized) return;
  const driver = dataSource.driver as unknown as SqliteDriverState;
  const runner = sqliteRunner(dataSource);
  try {
    await exec(driver.databaseConnection, 'ROLLBACK');
  } catch (error) {
    if (!/no transaction is active/i.test(messageOf(error))) {
      logger.error(`Rolling back a failed transaction failed (${messageOf(error)}); reopening the database`);
      // Throws if the file cannot be opened: the runner's state is then left as it is, so a
      // runner still counting a transaction is reset again before the next one starts.
      await reopen(driver);
    }
  }
  runner.isTransactionActive = false;
  runner.transactionDepth = 0;
}

async function reopen(driver: SqliteDriverState): Promise<void> {
  const previous = driver.databaseConnection;
  driver.databaseConnection = await driver.createDatabaseConnection();
  previous.close((error) => {
    if (error) logger.warn(`Closing the replaced database connection failed: ${messageOf(error)}`);
  });
}

function exec(connection: SqliteConnection, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    connection.run(sql, (error) => (error ? reject(error) : resolve()));
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
