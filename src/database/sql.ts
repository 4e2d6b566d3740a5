import { DataSource, EntityManager, QueryRunner } from 'typeorm';

/** The two databases the catalog runs on. */
export type SqlDialect = 'sqlite' | 'postgres';

/** Anything raw SQL can run through: the data source, a transaction's manager, a migration's runner. */
export type SqlExecutor = DataSource | EntityManager | QueryRunner;

export function dialectOf(executor: SqlExecutor): SqlDialect {
  return connectionOf(executor).options.type === 'postgres' ? 'postgres' : 'sqlite';
}

/**
 * Repositories write their SQL once with `?` placeholders; PostgreSQL numbers them (`$1`, `$2`).
 * A `?` inside a quoted literal or identifier is left alone. No statement here uses PostgreSQL's
 * own `?` operators (jsonb), so every other `?` is a parameter.
 */
export function numberPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const char of sql) {
    if (quote) {
      if (char === quote) quote = null;
    } else if (char === "'" || char === '"') {
      quote = char;
    } else if (char === '?') {
      out += `$${(n += 1)}`;
      continue;
    }
    out += char;
  }
  return out;
}

/**
 * Rows of a statement written with `?` placeholders, on either database. Statements with a
 * RETURNING clause answer their rows on both (SQLite 3.35+).
 */
export async function queryRows<T>(executor: SqlExecutor, sql: string, parameters: unknown[] = []): Promise<T[]> {
  const result = await run(executor, sql, parameters);
  return (result.records ?? []) as T[];
}

/** The number of rows an INSERT, UPDATE or DELETE written with `?` placeholders changed. */
export async function execute(executor: SqlExecutor, sql: string, parameters: unknown[] = []): Promise<number> {
  const result = await run(executor, sql, parameters);
  return result.affected ?? 0;
}

async function run(executor: SqlExecutor, sql: string, parameters: unknown[]) {
  const text = dialectOf(executor) === 'postgres' ? numberPlaceholders(sql) : sql;
  if (isQueryRunner(executor)) return executor.query(text, parameters, true);
  const manager = executor instanceof DataSource ? executor.manager : executor;
  // Inside a transaction the manager carries its runner; otherwise take one and give it back,
  // as DataSource.query does (on SQLite it is the one shared connection).
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    return await runner.query(text, parameters, true);
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}

function connectionOf(executor: SqlExecutor): DataSource {
  if (executor instanceof DataSource) return executor;
  return executor.connection;
}

function isQueryRunner(executor: SqlExecutor): executor is QueryRunner {
  return !(executor instanceof DataSource) && !(executor instanceof EntityManager);
}

/** `values` in consecutive pieces of at most `size`, for statements with a bounded list of parameters. */
export function chunks<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}
