import { DataSource, EntityManager } from 'typeorm';
import { holdCatalogWriteLock, holdTransactionLock, writeStatement, writeStatements } from '../database/data-source';
import { chunks, dialectOf, execute, queryRows } from '../database/sql';

export type OutboxOp = 'upsert' | 'delete';

/** A queued change as the indexer reads it. */
export interface OutboxRecord {
  id: number;
  recipe_id: string;
  op: OutboxOp;
  attempts: number;
}

/** The outbox claim's advisory-lock key on PostgreSQL (see MIGRATION_LOCK_KEY for the space). */
export const OUTBOX_CLAIM_LOCK_KEY = 7_301_002;

/** Ids per `DELETE … IN (…)`: well under both databases' parameter limits. */
const IDS_PER_STATEMENT = 500;
/** Rows per multi-row INSERT of `enqueue`. */
const INSERT_CHUNK = 400;

/**
 * `index_outbox`: catalog writes queue rows in their own transactions (enqueue); the indexer
 * reads them in order, deletes what it indexed and postpones what failed.
 */
export class IndexOutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Index work written in the same transaction as the catalog change it follows, so a crash can
   * never leave a catalog write without its indexing (or the reverse).
   */
  async enqueue(manager: EntityManager, recipeIds: string[], op: OutboxOp): Promise<void> {
    // Row numbers drawn under the catalog's write lock: see maxId.
    await holdCatalogWriteLock(manager);
    const now = new Date().toISOString();
    const at = Date.now();
    for (let i = 0; i < recipeIds.length; i += INSERT_CHUNK) {
      const chunk = recipeIds.slice(i, i + INSERT_CHUNK);
      const values = chunk.map(() => '(?, ?, 0, ?, ?)').join(', ');
      const params = chunk.flatMap((id) => [id, op, at, now]);
      await execute(manager, `INSERT INTO index_outbox (recipe_id, op, attempts, available_at, created_at) VALUES ${values}`, params);
    }
  }

  /** Rows for recipes whose points are to be brought to the catalog, in a transaction of their own (a catch-up). */
  async enqueueAlone(recipeIds: string[]): Promise<void> {
    if (recipeIds.length === 0) return;
    await this.dataSource.transaction((manager) => this.enqueue(manager, recipeIds, 'upsert'));
  }

  /**
   * Claims up to `limit` of the oldest rows (only those due unless `ignoreBackoff`) for
   * `owner` until `Date.now() + leaseMs`, so that several processes on one database index each
   * change once. A row is skipped while another process holds a live claim on it, or on any row
   * of the same recipe: two processes indexing one recipe at once could finish out of order and
   * leave the older version in the index. A process that dies mid-batch loses nothing; its rows
   * are claimed again once the lease has run out. Its own live claims a process takes again at
   * once: they are left only when a batch could record neither success nor failure.
   *
   * Claims are taken one at a time: in the transaction queue within a process, and on
   * PostgreSQL under a transaction-scoped advisory lock across processes, so a claim sees every
   * claim committed before it (SQLite takes one writer at a time by itself).
   */
  async claim(owner: string, limit: number, ignoreBackoff: boolean, leaseMs: number): Promise<OutboxRecord[]> {
    // An empty outbox is the usual case between writes, and the worker asks twice a second: a
    // read answers it without the write transaction (on SQLite the database's one write lock,
    // which waits behind another process's import; on PostgreSQL the claim lock every replica
    // shares). A row enqueued just after this read is claimed by the next poll or wake-up.
    if (!(await this.anyRows())) return [];
    const now = Date.now();
    // One statement. On SQLite it runs in its own turn (writeStatement), under the write lock:
    // in a transaction it took three turns of the event loop (BEGIN, the claim, COMMIT), each
    // waiting behind the requests being served, before a new recipe's indexing could start. On
    // PostgreSQL it runs in a transaction holding the claim lock.
    // Starts with WITH: TypeORM's SQLite driver reads rows back only from such statements.
    const sql = `WITH due AS (
           SELECT id FROM index_outbox o
           WHERE ${ignoreBackoff ? '' : 'o.available_at <= ? AND '}(o.claim_expires_at IS NULL OR o.claim_expires_at < ? OR o.claimed_by = ?)
             AND NOT EXISTS (
               SELECT 1 FROM index_outbox other
               WHERE other.recipe_id = o.recipe_id AND other.claimed_by <> ? AND other.claim_expires_at >= ?)
           ORDER BY o.id LIMIT ?)
         UPDATE index_outbox SET claimed_by = ?, claim_expires_at = ?
         WHERE id IN (SELECT id FROM due)
         RETURNING id, recipe_id, op, attempts`;
    const parameters = [...(ignoreBackoff ? [] : [now]), now, owner, owner, now, limit, owner, now + leaseMs];
    const rows =
      dialectOf(this.dataSource) === 'postgres'
        ? await this.dataSource.transaction(async (manager) => {
            await holdTransactionLock(manager, OUTBOX_CLAIM_LOCK_KEY);
            return queryRows<OutboxRecord>(manager, sql, parameters);
          })
        : await writeStatement<OutboxRecord>(this.dataSource, sql, parameters);
    // RETURNING gives no order; BIGINT ids come back as numbers (parseInt8).
    return rows.map((row) => ({ ...row, id: Number(row.id), attempts: Number(row.attempts) })).sort((a, b) => a.id - b.id);
  }

  private async anyRows(): Promise<boolean> {
    const rows = await queryRows<{ one: number }>(this.dataSource, 'SELECT 1 AS one FROM index_outbox LIMIT 1');
    return rows.length > 0;
  }

  /** Rows other processes hold a live claim on. */
  async claimedByOthers(owner: string): Promise<number> {
    const [row] = await queryRows<{ n: number }>(
      this.dataSource,
      'SELECT COUNT(*) AS n FROM index_outbox WHERE claimed_by <> ? AND claim_expires_at >= ?',
      [owner, Date.now()],
    );
    return Number(row?.n ?? 0);
  }

  async delete(ids: number[]): Promise<void> {
    await writeStatements(
      this.dataSource,
      chunks(ids, IDS_PER_STATEMENT).map((chunk) => [`DELETE FROM index_outbox WHERE id IN (${chunk.map(() => '?').join(',')})`, chunk]),
    );
  }

  /** Rows queued up to and including `maxId`, e.g. satisfied by a full comparison. */
  async deleteUpTo(maxId: number): Promise<void> {
    await writeStatement(this.dataSource, 'DELETE FROM index_outbox WHERE id <= ?', [maxId]);
  }

  /** Retries each row later: `availableAt(attempts)` with its attempts counted up. */
  async postpone(rows: OutboxRecord[], message: string, availableAt: (attempts: number) => number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (const row of rows) {
        const attempts = row.attempts + 1;
        await execute(
          manager,
          'UPDATE index_outbox SET attempts = ?, available_at = ?, last_error = ?, claimed_by = NULL, claim_expires_at = NULL WHERE id = ?',
          [attempts, availableAt(attempts), message, row.id],
        );
      }
    });
  }

  /**
   * The highest row number queued and committed (null when the outbox is empty). Every lower number is committed too, since
   * rows are numbered under the catalog's write lock (see enqueue), so a comparison of the
   * catalog with the index read after this covers every row up to it (IndexSynchroniser.sync
   * then deletes them). Without that lock, a PostgreSQL transaction could draw its numbers before
   * another's and commit after it, and a row below the maximum read was deleted unindexed.
   */
  async maxId(): Promise<number | null> {
    const [row] = await queryRows<{ max_id: number | null }>(this.dataSource, 'SELECT MAX(id) AS max_id FROM index_outbox');
    return row?.max_id === null || row?.max_id === undefined ? null : Number(row.max_id);
  }

  /** How many rows wait and when the oldest was queued (ISO time, null when none). */
  async backlog(): Promise<{ pending: number; oldest: string | null }> {
    const [row] = await queryRows<{ n: number; oldest: string | null }>(
      this.dataSource,
      'SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM index_outbox',
    );
    return { pending: Number(row?.n ?? 0), oldest: row?.oldest ?? null };
  }

  async pendingCount(): Promise<number> {
    const [row] = await queryRows<{ n: number }>(this.dataSource, 'SELECT COUNT(*) AS n FROM index_outbox');
    return Number(row?.n ?? 0);
  }

  /** Recipes with work queued. */
  async queuedRecipeIds(): Promise<Set<string>> {
    const rows = await queryRows<{ recipe_id: string }>(this.dataSource, 'SELECT DISTINCT recipe_id FROM index_outbox');
    return new Set(rows.map((row) => row.recipe_id));
  }
}
