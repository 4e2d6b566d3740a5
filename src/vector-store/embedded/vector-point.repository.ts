import { DataSource } from 'typeorm';
import { writeStatementChanging, writeStatements } from '../../database/data-source';
import { chunks, execute, queryRows, SqlExecutor } from '../../database/sql';

/** SQLite's default SQLITE_MAX_VARIABLE_NUMBER is far above this; 6 columns × 100 rows. */
const POINTS_PER_STATEMENT = 100;

/** Points one statement deletes when a whole collection goes (see deleteAllPoints). */
export const DROP_POINTS_PER_STATEMENT = 1000;

/** A stored point as read back: vectors still encoded (see point-codec). */
export interface StoredPointRow {
  id: string;
  content_hash: string;
  payload: string;
  dense: Buffer;
  sparse: Buffer | null;
}

/** A point as written: payload as JSON, vectors encoded. */
export interface PointRow {
  id: string;
  contentHash: string;
  payload: string;
  dense: Buffer;
  sparse: Buffer | null;
}

/**
 * The embedded store's tables: collections, their points and the aliases. Writes take the
 * executor of the store's transaction; BLOB on SQLite and BYTEA on PostgreSQL both read back
 * as Buffers.
 */
export class VectorPointRepository {
  constructor(private readonly dataSource: DataSource) {}

  async ping(): Promise<void> {
    await queryRows(this.dataSource, 'SELECT 1');
  }

  /** The stored CollectionSpec (JSON) of a collection, or null when it does not exist. */
  async specOf(executor: SqlExecutor, name: string): Promise<string | null> {
    const rows = await queryRows<{ spec: string }>(executor, 'SELECT spec FROM vector_collections WHERE name = ?', [name]);
    return rows[0]?.spec ?? null;
  }

  async exists(executor: SqlExecutor, name: string): Promise<boolean> {
    return (await queryRows(executor, 'SELECT 1 FROM vector_collections WHERE name = ?', [name])).length > 0;
  }

  async collectionNames(): Promise<string[]> {
    const rows = await queryRows<{ name: string }>(this.dataSource, 'SELECT name FROM vector_collections ORDER BY name');
    return rows.map((row) => row.name);
  }

  async create(executor: SqlExecutor, name: string, spec: string): Promise<void> {
    await execute(executor, 'INSERT INTO vector_collections (name, spec, created_at) VALUES (?, ?, ?)', [
      name,
      spec,
      new Date().toISOString(),
    ]);
  }

  /**
   * Deletes every point of a collection, DROP_POINTS_PER_STATEMENT at a time, each statement in
   * its own write turn, so the database's other readers and writers go between them. On a copy
   * of a 1,000,000-recipe catalog, one statement for the collection's 1,001,326 points took
   * 47 s, and every other statement on SQLite's one connection, reads included, would have
   * waited behind it; 1,000 points a statement took 7 ms at p50.
   * Points written meanwhile are left for {@link drop}, which deletes what remains.
   */
  async deleteAllPoints(collection: string): Promise<void> {
    for (;;) {
      const deleted = await writeStatementChanging(
        this.dataSource,
        'DELETE FROM vector_points WHERE collection = ? AND id IN (SELECT id FROM vector_points WHERE collection = ? LIMIT ?)',
        [collection, collection, DROP_POINTS_PER_STATEMENT],
      );
      if (deleted < DROP_POINTS_PER_STATEMENT) return;
    }
  }

  /**
   * Deletes a collection and its points; with `aliases`, also the aliases pointing at it. In one
   * transaction: call {@link deleteAllPoints} first for a collection that may be large.
   */
  async drop(executor: SqlExecutor, name: string, options: { aliases?: boolean } = {}): Promise<void> {
    if (options.aliases) await execute(executor, 'DELETE FROM vector_aliases WHERE collection = ?', [name]);
    await execute(executor, 'DELETE FROM vector_points WHERE collection = ?', [name]);
    await execute(executor, 'DELETE FROM vector_collections WHERE name = ?', [name]);
  }

  /** Every point of a collection, or those with these ids. */
  async points(collection: string, ids?: string[]): Promise<StoredPointRow[]> {
    const columns = 'SELECT id, content_hash, payload, dense, sparse FROM vector_points WHERE collection = ?';
    if (!ids) return queryRows<StoredPointRow>(this.dataSource, columns, [collection]);
    return queryRows<StoredPointRow>(this.dataSource, `${columns} AND id IN (${ids.map(() => '?').join(', ')})`, [collection, ...ids]);
  }

  /**
   * Up to `limit` points of a collection with ids after `after` (from the first when null), in
   * id order: the order the whole-collection read returns them in on SQLite (its primary key
   * index), so a collection loaded a page at a time has the same rows in the same places.
   */
  async pointsAfter(collection: string, after: string | null, limit: number): Promise<StoredPointRow[]> {
    const columns = 'SELECT id, content_hash, payload, dense, sparse FROM vector_points WHERE collection = ?';
    return after === null
      ? queryRows<StoredPointRow>(this.dataSource, `${columns} ORDER BY id LIMIT ?`, [collection, limit])
      : queryRows<StoredPointRow>(this.dataSource, `${columns} AND id > ? ORDER BY id LIMIT ?`, [collection, after, limit]);
  }

  async count(collection: string): Promise<number> {
    const [row] = await queryRows<{ n: number }>(this.dataSource, 'SELECT COUNT(*) AS n FROM vector_points WHERE collection = ?', [
      collection,
    ]);
    return Number(row?.n ?? 0);
  }

  /** Inserts or replaces points by (collection, id), all or none (see writeStatements). */
  async write(collection: string, points: PointRow[]): Promise<void> {
    await writeStatements(
      this.dataSource,
      chunks(points, POINTS_PER_STATEMENT).map((chunk) => upsertPoints(collection, chunk)),
    );
  }

  /** Deletes points by id, all or none. */
  async deletePoints(collection: string, ids: string[]): Promise<void> {
    await writeStatements(
      this.dataSource,
      chunks(ids, POINTS_PER_STATEMENT).map((chunk) => deletePoints(collection, chunk)),
    );
  }

  async aliasTarget(alias: string): Promise<string | null> {
    const rows = await queryRows<{ collection: string }>(this.dataSource, 'SELECT collection FROM vector_aliases WHERE name = ?', [alias]);
    return rows[0]?.collection ?? null;
  }

  async setAlias(executor: SqlExecutor, alias: string, collection: string): Promise<void> {
    await execute(
      executor,
      `INSERT INTO vector_aliases (name, collection, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET collection = excluded.collection, updated_at = excluded.updated_at`,
      [alias, collection, new Date().toISOString()],
    );
  }
}

function upsertPoints(collection: string, points: PointRow[]): [string, unknown[]] {
  return [
    `INSERT INTO vector_points (collection, id, content_hash, payload, dense, sparse) VALUES ${points.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}
       ON CONFLICT (collection, id) DO UPDATE SET content_hash = excluded.content_hash, payload = excluded.payload,
         dense = excluded.dense, sparse = excluded.sparse`,
    points.flatMap((p) => [collection, p.id, p.contentHash, p.payload, p.dense, p.sparse]),
  ];
}

function deletePoints(collection: string, ids: string[]): [string, unknown[]] {
  return [`DELETE FROM vector_points WHERE collection = ? AND id IN (${ids.map(() => '?').join(', ')})`, [collection, ...ids]];
}
