import { DataSource } from 'typeorm';
import { execute, queryRows } from '../database/sql';

/** A queued change as the indexer reads it. */
export interface OutboxRecord {
  id: number;
  recipe_id: string;
  op: 'upsert' | 'delete';
  attempts: number;
}

/** Ids per `DELETE … IN (…)`: well under both databases' parameter limits. */
const IDS_PER_STATEMENT = 500;

/**
 * The indexer's side of `index_outbox`: catalog writes queue rows in their own transactions
 * (enqueueIndexing); the indexer reads them in order, deletes what it indexed and postpones
 * what failed.
 */
export class IndexOutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The oldest `limit` rows, only those due unless `ignoreBackoff`. */
  async next(limit: number, ignoreBackoff: boolean): Promise<OutboxRecord[]> {
    const rows = await queryRows<OutboxRecord>(
      this.dataSource,
      `SELECT id, recipe_id, op, attempts FROM index_outbox ${ignoreBackoff ? '' : 'WHERE available_at <= ?'} ORDER BY id LIMIT ?`,
      ignoreBackoff ? [limit] : [Date.now(), limit],
    );
    // BIGINT ids come back as numbers (parseInt8); SQLite's INTEGER already does.
    return rows.map((row) => ({ ...row, id: Number(row.id), attempts: Number(row.attempts) }));
  }

  async delete(ids: number[]): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
        const chunk = ids.slice(i, i + IDS_PER_STATEMENT);
        await execute(manager, `DELETE FROM index_outbox WHERE id IN (${chunk.map(() => '?').join(',')})`, chunk);
      }
    });
  }

  /** Rows queued up to and including `maxId`, e.g. satisfied by a full comparison. */
  async deleteUpTo(maxId: number): Promise<void> {
    await this.dataSource.transaction((manager) => execute(manager, 'DELETE FROM index_outbox WHERE id <= ?', [maxId]));
  }

  /** Retries each row later: `availableAt(attempts)` with its attempts counted up. */
  async postpone(rows: OutboxRecord[], message: string, availableAt: (attempts: number) => number): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (const row of rows) {
        const attempts = row.attempts + 1;
        await execute(manager, 'UPDATE index_outbox SET attempts = ?, available_at = ?, last_error = ? WHERE id = ?', [
          attempts,
          availableAt(attempts),
          message,
          row.id,
        ]);
      }
    });
  }

  /** The newest row's id, or null when the outbox is empty. */
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
