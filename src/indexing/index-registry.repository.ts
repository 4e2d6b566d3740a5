import { DataSource } from 'typeorm';
import { holdTransactionLock, writeStatement } from '../database/data-source';
import { dialectOf, execute, queryRows } from '../database/sql';
import type { CollectionSpec } from '../vector-store/vector-store.port';

export interface ServingIndexRow {
  collection: string;
  spec: CollectionSpec;
  /** The stored food-concept model (embedding_models.id) the collection's vectors came from. */
  modelId: string;
  version: number;
}

export interface RegisteredCollection {
  name: string;
  state: 'building' | 'serving' | 'retired';
  owner: string | null;
  dropAfter: number | null;
}

/** The transaction-scoped advisory lock of change-log inserts on PostgreSQL (see recordChange; MIGRATION_LOCK_KEY for the space). */
export const CHANGE_LOG_LOCK_KEY = 7_301_005;

/** Changes older than this are pruned; a process that fell further behind reloads everything. */
export const CHANGE_LOG_KEEP_MS = 10 * 60_000;

/**
 * The index's shared bookkeeping in SQLite: which collection serves (with a version every
 * process polls), every collection the service created and its state, and the log of points
 * written, so processes that keep points in memory reload what another one changed.
 */
export class IndexRegistryRepository {
  constructor(private readonly dataSource: DataSource) {}

  async serving(): Promise<ServingIndexRow | null> {
    const rows: Array<{
      collection: string;
      spec: string;
      model_id: string;
      version: number;
    }> = await queryRows(this.dataSource, 'SELECT collection, spec, model_id, version FROM index_serving WHERE id = 1');
    if (rows.length === 0) return null;
    const [row] = rows;
    return {
      collection: row.collection,
      spec: JSON.parse(row.spec) as CollectionSpec,
      modelId: row.model_id,
      version: Number(row.version),
    };
  }

  /** The two numbers a process polls every second: one indexed read each. */
  async versions(): Promise<{ serving: number; changes: number }> {
    const [row]: Array<{ v: number | null; s: number | null }> = await queryRows(
      this.dataSource,
      'SELECT (SELECT version FROM index_serving WHERE id = 1) AS v, (SELECT MAX(seq) FROM index_changes) AS s',
    );
    return { serving: Number(row?.v ?? 0), changes: Number(row?.s ?? 0) };
  }

  /** Recorded before the collection is created, so a crash mid-build leaves a name to clean up. */
  async register(name: string, spec: CollectionSpec, modelId: string, owner: string): Promise<void> {
    await this.dataSource.transaction((manager) =>
      execute(
        manager,
        `INSERT INTO index_collections (name, spec, model_id, state, owner, created_at, drop_after) VALUES (?, ?, ?, 'building', ?, ?, NULL)
       ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, model_id = excluded.model_id, state = 'building', owner = excluded.owner, drop_after = NULL`,
        [name, JSON.stringify(spec), modelId, owner, new Date().toISOString()],
      ),
    );
  }

  /**
   * Makes `name` the serving collection and retires the one it replaces (dropped after
   * `graceMs`), in one transaction. Returns the new serving version. Every statement up to the
   * last one writes: a transaction that read first could not upgrade to a write while another
   * process has written since (SQLite answers SQLITE_BUSY at once in WAL mode, without waiting).
   */
  async promote(name: string, spec: CollectionSpec, modelId: string, graceMs: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const now = new Date().toISOString();
      await execute(
        manager,
        `UPDATE index_collections SET state = 'retired', owner = NULL, drop_after = ?
         WHERE name = (SELECT collection FROM index_serving WHERE id = 1) AND name <> ?`,
        [Date.now() + graceMs, name],
      );
      await execute(
        manager,
        `INSERT INTO index_serving (id, collection, spec, model_id, version, updated_at) VALUES (1, ?, ?, ?, 1, ?)
         ON CONFLICT (id) DO UPDATE SET collection = excluded.collection, spec = excluded.spec, model_id = excluded.model_id,
           version = index_serving.version + 1, updated_at = excluded.updated_at`,
        [name, JSON.stringify(spec), modelId, now],
      );
      await execute(
        manager,
        `INSERT INTO index_collections (name, spec, model_id, state, owner, created_at, drop_after) VALUES (?, ?, ?, 'serving', NULL, ?, NULL)
         ON CONFLICT (name) DO UPDATE SET state = 'serving', owner = NULL, drop_after = NULL`,
        [name, JSON.stringify(spec), modelId, now],
      );
      const [row]: Array<{ version: number }> = await queryRows(manager, 'SELECT version FROM index_serving WHERE id = 1');
      return Number(row.version);
    });
  }

  async forget(name: string): Promise<void> {
    await this.dataSource.transaction((manager) => execute(manager, 'DELETE FROM index_collections WHERE name = ?', [name]));
  }

  async collections(): Promise<RegisteredCollection[]> {
    const rows: Array<{
      name: string;
      state: RegisteredCollection['state'];
      owner: string | null;
      drop_after: number | null;
    }> = await queryRows(this.dataSource, 'SELECT name, state, owner, drop_after FROM index_collections ORDER BY name');
    return rows.map((row) => ({
      name: row.name,
      state: row.state,
      owner: row.owner,
      dropAfter: row.drop_after === null ? null : Number(row.drop_after),
    }));
  }

  async recordChange(writer: string, collection: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const insert = 'INSERT INTO index_changes (writer, collection, ids, at) VALUES (?, ?, ?, ?)';
    const values = [writer, collection, JSON.stringify(ids), Date.now()];
    // Followers read the changes numbered after the last one they read. On PostgreSQL the
    // number is drawn at the insert and shows at the commit, so two processes could commit 11
    // before 10, and a follower that read up to 11 in between never read 10 (its points stayed
    // stale in that process's memory). One insert at a time keeps the numbers in commit order:
    // a transaction holding a lock on PostgreSQL. SQLite's write lock already does, so there the
    // insert is one statement in its own turn (writeStatement), one turn of the event loop
    // instead of three; a bare statement on the shared connection could join another open
    // transaction (and vanish if that one rolled back).
    if (dialectOf(this.dataSource) !== 'postgres') {
      await writeStatement(this.dataSource, insert, values);
      return;
    }
    await this.dataSource.transaction(async (manager) => {
      await holdTransactionLock(manager, CHANGE_LOG_LOCK_KEY);
      await execute(manager, insert, values);
    });
  }

  /**
   * Ids other writers changed in `collection` after `seq`; null when the log no longer reaches
   * back that far (the caller reloads everything).
   */
  async changesSince(seq: number, writer: string, collection: string): Promise<{ ids: string[] | null; last: number }> {
    const [{ first }]: Array<{ first: number | null }> = await queryRows(this.dataSource, 'SELECT MIN(seq) AS first FROM index_changes');
    const rows: Array<{
      seq: number;
      writer: string;
      collection: string;
      ids: string;
    }> = await queryRows(this.dataSource, 'SELECT seq, writer, collection, ids FROM index_changes WHERE seq > ? ORDER BY seq', [seq]);
    const last = rows.length > 0 ? Number(rows[rows.length - 1].seq) : seq;
    if (first !== null && Number(first) > seq + 1 && seq > 0) return { ids: null, last };
    const ids = new Set<string>();
    for (const row of rows) {
      if (row.writer === writer || row.collection !== collection) continue;
      for (const id of JSON.parse(row.ids) as string[]) ids.add(id);
    }
    return { ids: [...ids], last };
  }

  /**
   * Drops changes older than CHANGE_LOG_KEEP_MS. Every serving process calls this every few
   * seconds; with nothing that old (the usual case) a read answers, and no write transaction is
   * opened: on SQLite it waited for the write lock behind another process's import, and each one
   * made the catalog view read the catalog's version again (see RecipeRowsRepository.changeMark).
   */
  async pruneChanges(): Promise<void> {
    const before = Date.now() - CHANGE_LOG_KEEP_MS;
    const old = await queryRows(this.dataSource, 'SELECT 1 AS one FROM index_changes WHERE at < ? LIMIT 1', [before]);
    if (old.length === 0) return;
    await this.dataSource.transaction((manager) => execute(manager, 'DELETE FROM index_changes WHERE at < ?', [before]));
  }
}
