import { DataSource, EntityManager } from 'typeorm';
import { EventLoopBudget } from '../common/event-loop';
import { holdCatalogWriteLock, writesEnded } from '../database/data-source';
import { chunks, dialectOf, execute, queryRows, SqlExecutor } from '../database/sql';
import { RECIPE_COLUMNS, recipeFromRow, RecipeRow, recipeRowValues, StoredRecipeRow } from './recipe-row';
import { Recipe } from './recipe.types';

/** Every column, as `recipeFromRow` reads them. */
const SELECTED = RECIPE_COLUMNS.join(', ');
/** 26 columns a row: 30 rows stay under SQLite's 999 bound parameters. */
const ROWS_PER_STATEMENT = 30;
/** Ids per `IN (…)` list: well under both databases' parameter limits. */
const IDS_PER_STATEMENT = 500;

/** How many recipes there are and when the last one was written. */
export interface CatalogVersion {
  count: number;
  updatedAt: string | null;
}

/** When and what a recipe row was last written. */
export interface RecipeStamp {
  id: string;
  updated_at: string;
  content_hash: string;
}

/** What a page of the catalog listing matches: every filter given. */
export interface RecipeListFilter {
  source?: string;
  sourceId?: string;
  category?: string;
  cuisine?: string;
  /** Part of the name, ignoring ASCII case. */
  nameContains?: string;
}

/**
 * The catalog's version as two scalar subqueries: apart, the maximum is one step down the
 * updated_at index and the count a pass over the smallest index. Together in one aggregate
 * (`SELECT COUNT(*), MAX(updated_at)`) SQLite scans for both: 6 against 2 ms at 100,000 recipes.
 */
const VERSION_COLUMNS = '(SELECT COUNT(*) FROM recipes) AS n, (SELECT MAX(updated_at) FROM recipes) AS m';

/** The statement behind {@link RecipeRowsRepository.changesSince}: the version, and the rows written since `?`. */
export function changesSinceStatement(after: boolean): string {
  return `SELECT v.n, v.m, r.id, r.updated_at, r.content_hash
    FROM (SELECT ${VERSION_COLUMNS}) v
    LEFT JOIN recipes r ON r.updated_at ${after ? '>' : '>='} ?`;
}

/**
 * The SQL over the `recipes` table that the entity's repository does not express: keys and
 * hashes without building entities, multi-row writes, and the narrow reads of indexing,
 * health and retrieval. Every method runs on SQLite and PostgreSQL alike; `executor` is a
 * transaction's manager where the read belongs to one.
 */
export class RecipeRowsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async count(): Promise<number> {
    const [row] = await queryRows<{ n: number }>(this.dataSource, 'SELECT COUNT(*) AS n FROM recipes');
    return Number(row?.n ?? 0);
  }

  /** How many recipes there are and when the last one was written: the catalog's version. */
  async version(): Promise<CatalogVersion> {
    const [row] = await queryRows<{ n: number; m: string | null }>(this.dataSource, `SELECT ${VERSION_COLUMNS}`);
    return { count: Number(row?.n ?? 0), updatedAt: row?.m ?? null };
  }

  /**
   * A mark that moves whenever the catalog may have changed, for a check far cheaper than
   * {@link version} (whose count walks an index: 2.3–2.5 ms at 100,000 recipes, growing with
   * the catalog, on the connection every request shares). On SQLite: `PRAGMA data_version`, which moves when
   * another connection commits (another process), with the count of this process's ended
   * transactions and write statements (SQLite does not move it for the connection's own).
   * Null on PostgreSQL, which has no such counter: there the version is always read.
   */
  async changeMark(): Promise<string | null> {
    if (dialectOf(this.dataSource) === 'postgres') return null;
    const ownWrites = writesEnded(this.dataSource);
    const [row] = await queryRows<{ data_version: number }>(this.dataSource, 'PRAGMA data_version');
    return `${row?.data_version ?? ''}:${ownWrites}`;
  }

  /** A page of the ids matching `filter` in (source, source id) order, and how many match in all. */
  async page(filter: RecipeListFilter, limit: number, offset: number): Promise<{ ids: string[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    for (const [column, value] of [
      ['source', filter.source],
      ['source_id', filter.sourceId],
      ['category', filter.category],
      ['cuisine', filter.cuisine],
    ] as const) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    if (filter.nameContains) {
      // SQLite's LIKE ignores ASCII case; PostgreSQL's ILIKE is its counterpart.
      const like = dialectOf(this.dataSource) === 'postgres' ? 'ILIKE' : 'LIKE';
      where.push(`name ${like} ? ESCAPE '\\'`);
      params.push(`%${filter.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [count] = await queryRows<{ n: number }>(this.dataSource, `SELECT COUNT(*) AS n FROM recipes ${clause}`, params);
    const rows = await queryRows<{ id: string }>(
      this.dataSource,
      `SELECT id FROM recipes ${clause} ORDER BY source, source_id LIMIT ? OFFSET ?`,
      [...params, limit, offset],
    );
    return { ids: rows.map((row) => row.id), total: Number(count?.n ?? 0) };
  }

  /** Every id in id order (byte order on both databases). */
  async idsInOrder(executor: SqlExecutor = this.dataSource): Promise<Array<{ id: string }>> {
    return queryRows<{ id: string }>(executor, 'SELECT id FROM recipes ORDER BY id');
  }

  /** Every id with its content hash, in id order. */
  async contentHashes(): Promise<Array<{ id: string; content_hash: string }>> {
    return queryRows(this.dataSource, 'SELECT id, content_hash FROM recipes ORDER BY id');
  }

  /**
   * Recipes written at or after `since` (after it, when `after`), with when and what was written,
   * and the catalog's version as of the same read: one statement, so one snapshot on both
   * databases. Read by two statements, a write landing between them was among the rows but not
   * in the count, and the mismatch looked like a deletion (see CatalogSnapshotService.build).
   */
  async changesSince(since: string, after = false): Promise<{ version: CatalogVersion; rows: RecipeStamp[] }> {
    const found = await queryRows<{
      n: number;
      m: string | null;
      id: string | null;
      updated_at: string | null;
      content_hash: string | null;
    }>(this.dataSource, changesSinceStatement(after), [since]);
    const version = { count: Number(found[0]?.n ?? 0), updatedAt: found[0]?.m ?? null };
    const rows: RecipeStamp[] = [];
    for (const row of found) if (row.id !== null) rows.push({ id: row.id, updated_at: row.updated_at!, content_hash: row.content_hash! });
    return { version, rows };
  }

  /**
   * Every recipe's id in the order a plain `SELECT * FROM recipes` returns the rows (the
   * table's own order), which an id-only read would not keep on SQLite: it reads the primary
   * key's index instead, in id order.
   */
  async idsInTableOrder(): Promise<string[]> {
    const from = dialectOf(this.dataSource) === 'sqlite' ? 'recipes NOT INDEXED' : 'recipes';
    const rows = await queryRows<{ id: string }>(this.dataSource, `SELECT id FROM ${from}`);
    return rows.map((row) => row.id);
  }

  /** The content hash of each of these recipes that exists. */
  contentHashesOf(ids: readonly string[]): Promise<Map<string, string>> {
    return this.columnOf('content_hash', ids);
  }

  /** Of these ids, those that exist. */
  async existingIds(executor: SqlExecutor, ids: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (const chunk of chunks(ids, IDS_PER_STATEMENT)) {
      const rows = await queryRows<{ id: string }>(executor, `SELECT id FROM recipes WHERE id IN (${marks(chunk)})`, chunk);
      rows.forEach((row) => found.add(row.id));
    }
    return found;
  }

  /** id, source id and content hash of the recipes of `source` with these source ids. */
  async keysBySourceIds(
    executor: SqlExecutor,
    source: string,
    sourceIds: string[],
  ): Promise<Array<{ id: string; source_id: string; content_hash: string }>> {
    const found: Array<{ id: string; source_id: string; content_hash: string }> = [];
    for (const chunk of chunks(sourceIds, IDS_PER_STATEMENT)) {
      found.push(
        ...(await queryRows<{ id: string; source_id: string; content_hash: string }>(
          executor,
          `SELECT id, source_id, content_hash FROM recipes WHERE source = ? AND source_id IN (${marks(chunk)})`,
          [source, ...chunk],
        )),
      );
    }
    return found;
  }

  /**
   * `recipes(ids)` read `page` ids per query, with `between` awaited before each: building a
   * page's entities (their JSON columns parsed) holds the event loop, ~50 ms for 200 recipes of
   * 250 ingredients, so readers beside requests read small pages and let them in between.
   */
  async recipesInPages(ids: readonly string[], page: number, between: () => Promise<unknown>): Promise<Recipe[]> {
    const found: Recipe[] = [];
    for (let i = 0; i < ids.length; i += page) {
      await between();
      found.push(...(await this.recipes(ids.slice(i, i + page))));
    }
    return found;
  }

  /** The recipes of these ids that exist, in the order of `ids`. */
  async recipes(ids: readonly string[], executor: SqlExecutor = this.dataSource): Promise<Recipe[]> {
    const byId = new Map<string, Recipe>();
    for (const chunk of chunks(ids, IDS_PER_STATEMENT)) {
      const rows = await queryRows<StoredRecipeRow>(executor, `SELECT ${SELECTED} FROM recipes WHERE id IN (${marks(chunk)})`, chunk);
      for (const row of rows) byId.set(row.id as string, recipeFromRow(row));
    }
    const found: Recipe[] = [];
    for (const id of ids) {
      const recipe = byId.get(id);
      if (recipe) found.push(recipe);
    }
    return found;
  }

  /** One recipe, or null. */
  async recipe(executor: SqlExecutor, id: string): Promise<Recipe | null> {
    return (await this.recipes([id], executor))[0] ?? null;
  }

  /**
   * The `updated_at` of the rows written in `manager`'s transaction: now, or the catalog's latest
   * stamp when the clock is behind it, so stamps never go back in commit order. The catalog view
   * reads the rows written at or after the latest stamp it has seen (changesSince), so an update
   * committed after that read with an earlier stamp was never seen: with replicas on PostgreSQL,
   * two transactions that took their stamps in one order and committed in the other left a
   * replica's view without the first one's update until the recipe was written again. The stamp
   * is therefore taken under the catalog's write lock (holdCatalogWriteLock), so the stamps
   * follow commit order across processes.
   */
  async writeStamp(manager: EntityManager): Promise<string> {
    await holdCatalogWriteLock(manager);
    const [row] = await queryRows<{ m: string | null }>(manager, 'SELECT MAX(updated_at) AS m FROM recipes');
    const now = new Date().toISOString();
    return row?.m != null && row.m > now ? row.m : now;
  }

  /** Deletes one recipe; whether it existed. */
  async delete(executor: SqlExecutor, id: string): Promise<boolean> {
    return (await execute(executor, 'DELETE FROM recipes WHERE id = ?', [id])) > 0;
  }

  /** Names by id, for the ids that exist. */
  namesOf(ids: readonly string[]): Promise<Map<string, string>> {
    return this.columnOf('name', ids);
  }

  /** One text column by id, for the ids that exist, a statement per IDS_PER_STATEMENT ids. */
  private async columnOf(column: 'name' | 'content_hash', ids: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (const chunk of chunks(ids, IDS_PER_STATEMENT)) {
      const rows = await queryRows<{ id: string; value: string }>(
        this.dataSource,
        `SELECT id, ${column} AS value FROM recipes WHERE id IN (${marks(chunk)})`,
        chunk,
      );
      for (const row of rows) found.set(row.id, row.value);
    }
    return found;
  }

  /** Deletes every recipe; their ids. */
  async deleteAll(manager: EntityManager): Promise<string[]> {
    const rows = await queryRows<{ id: string }>(manager, 'SELECT id FROM recipes');
    await execute(manager, 'DELETE FROM recipes');
    return rows.map((row) => row.id);
  }

  /**
   * Parameterised multi-row writes, a few milliseconds of rows at a time: 'insert' adds new
   * recipes; 'update' rewrites every column of existing ones by id except `created_at`.
   */
  async writeRows(
    manager: EntityManager,
    rows: Array<{ id: string; row: RecipeRow }>,
    now: string,
    mode: 'insert' | 'update',
  ): Promise<void> {
    const placeholders = `(${marks(RECIPE_COLUMNS)})`;
    const onConflict =
      mode === 'update'
        ? ` ON CONFLICT(id) DO UPDATE SET ${RECIPE_COLUMNS.filter((c) => c !== 'id' && c !== 'created_at')
            .map((c) => `${c} = excluded.${c}`)
            .join(', ')}`
        : '';
    const budget = new EventLoopBudget();
    for (const chunk of chunks(rows, ROWS_PER_STATEMENT)) {
      await budget.yieldIfSpent();
      await execute(
        manager,
        `INSERT INTO recipes (${RECIPE_COLUMNS.join(', ')}) VALUES ${chunk.map(() => placeholders).join(', ')}${onConflict}`,
        chunk.flatMap(({ id, row }) => recipeRowValues(row, id, now)),
      );
    }
  }
}

function marks(values: readonly unknown[]): string {
  return values.map(() => '?').join(', ');
}
