import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { dialectOf, queryRows, SqlDialect } from '../database/sql';
import { writeStatement } from '../database/data-source';
import { InteractionSignal, InteractionType, UserInteraction } from './user-interaction.types';
import { KeptReads } from './kept-reads';
import { RaterTally } from './rater-tally';

interface InteractionRow {
  id: string;
  user_id: string;
  recipe_id: string;
  type: InteractionType;
  value: number | null;
  scale: number | null;
  preference: number | null;
  at: string;
}

export type NewInteraction = Omit<UserInteraction, 'id'>;

/** Positive evidence: what popularity and neighbourhoods are built from (views are too weak). */
const EXPLICIT_TYPES = `('like', 'dislike', 'rating', 'cooked')`;
/**
 * Newest first, and interactions at the same instant (a client's batch stamped once, imports)
 * by what they say: recipe, type, then the rating. Callers depend on the order (the first of
 * two equal times wins in recipePreferences, a LIMIT cuts through a tie), and ids are random,
 * so the row order within a tie was SQLite's insertion order and PostgreSQL's heap order, and
 * the same interactions gave different recommendations on the two databases. NULLS FIRST is
 * SQLite's default and not PostgreSQL's, so it is spelled out.
 */
const NEWEST_FIRST = 'at DESC, recipe_id, type, preference NULLS FIRST';

/** SQLite's limit on bound parameters is 999 in older builds; stay under it. */
const CHUNK = 500;

interface PendingInsert {
  rows: UserInteraction[];
  resolve: (landed: ReadonlySet<string>) => void;
  reject: (error: unknown) => void;
}

/** Rows one INSERT carries (8 parameters each, under SQLite's 999). */
const ROWS_PER_STATEMENT = 100;

/** Rows one group commit takes at most; the rest wait for the next one. */
const GROUP_COMMIT_MAX_ROWS = 5_000;

/**
 * How long a neighbour's history, or a recipe's raters, read for one user's list serve the next
 * ones. Writes through this process drop them at once; writes through another process (a
 * replica, an admin command) are seen once they expire, as the community's opinions are
 * (PRIOR_CACHE_MS).
 */
export const NEIGHBOUR_HISTORY_TTL_MS = 60_000;
/**
 * Interactions the neighbour histories keep in all, oldest-read dropped first. A kept row (an
 * object and its strings) takes ~310 bytes of heap: 200,000 explicit rows read into histories
 * grew a heap by 63 MB, so this cap bounds them at ~94 MB. On the 1,000,000-recipe catalog with
 * 10,000 users of ~47 explicit interactions each (twice the scale bench's history), lists for
 * 200 of them read ~3,500 neighbours' histories, up to ~240,000 rows: past a cap of 200,000 rows
 * the least recently read were dropped before the next list needed them, ~8 histories a list
 * were read again, and a list waited ~2.8 ms longer for them (15.7 against 12.9 ms per list with
 * no cap reached, one client).
 */
const NEIGHBOUR_HISTORY_MAX_ROWS = 300_000;
/** Raters the recipes' rater lists keep in all (a string reference each), oldest-read dropped first. */
const RATERS_MAX_ROWS = 500_000;

/** The `user_interactions` table (raw SQL: the app's entity list belongs to the catalog). */
@Injectable()
export class UserInteractionsRepository {
  private waiting: PendingInsert[] = [];
  private committing: Promise<void> | null = null;
  private rowsWritten = 0;
  /** Explicit histories of users read as someone's neighbours. */
  private readonly histories = new KeptReads<readonly InteractionSignal[]>(NEIGHBOUR_HISTORY_TTL_MS, NEIGHBOUR_HISTORY_MAX_ROWS, []);
  /** Per recipe, the users with an explicit opinion on it (numbered by the tally), once per interaction. */
  private readonly raters = new KeptReads<Int32Array>(NEIGHBOUR_HISTORY_TTL_MS, RATERS_MAX_ROWS, new Int32Array(0));
  private readonly tally = new RaterTally();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Interactions this process has stored: caches of everyone's history measure their staleness in it. */
  get writtenRows(): number {
    return this.rowsWritten;
  }

  /**
   * Stores the records whose recipe exists, all together or none of them; the others come back
   * as null in their place (the caller reports those recipes as missing). Checking inside the
   * INSERT, instead of a query before it, saves the write a turn of the event loop.
   */
  async insert(records: NewInteraction[]): Promise<Array<UserInteraction | null>> {
    if (records.length === 0) return [];
    const stored = records.map((r) => ({ ...r, id: `i${randomUUID().replace(/-/g, '')}` }));
    const landed = await new Promise<ReadonlySet<string>>((resolve, reject) => {
      this.waiting.push({ rows: stored, resolve, reject });
      this.committing ??= this.commitWaiting();
    });
    return stored.map((row) => (landed.has(row.id) ? row : null));
  }

  /**
   * Group commit: the inserts that arrived while the previous write ran share the next one.
   * Every write waits its turn on the one SQLite connection and costs turns of the event loop;
   * next to 10 readers a turn took tens of milliseconds, so 20 writers each in their own
   * transaction waited 1.4 s (p50) for their turn. If a shared write fails, each insert is tried
   * alone, so one cannot fail another.
   */
  private async commitWaiting(): Promise<void> {
    while (this.waiting.length > 0) {
      let rows = 0;
      let take = 0;
      while (take < this.waiting.length && (take === 0 || rows + this.waiting[take].rows.length <= GROUP_COMMIT_MAX_ROWS)) {
        rows += this.waiting[take].rows.length;
        take++;
      }
      const group = this.waiting.splice(0, take);
      try {
        const landed = await this.write(group.flatMap((g) => g.rows));
        group.forEach((g) => g.resolve(landed));
      } catch (error) {
        if (group.length === 1) {
          group[0].reject(error);
          continue;
        }
        for (const alone of group) {
          await this.write(alone.rows).then(alone.resolve, alone.reject);
        }
      }
    }
    this.committing = null;
  }

  /** The ids that landed: one statement (atomic by itself) when the rows fit, else one transaction. */
  private async write(rows: UserInteraction[]): Promise<Set<string>> {
    const landed = new Set<string>();
    if (rows.length <= ROWS_PER_STATEMENT) {
      const [sql, parameters] = insertStatement(rows, dialectOf(this.dataSource));
      for (const row of await writeStatement<{ id: string }>(this.dataSource, sql, parameters)) landed.add(row.id);
    } else {
      await this.dataSource.transaction(async (manager: EntityManager) => {
        for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
          const [sql, parameters] = insertStatement(rows.slice(i, i + ROWS_PER_STATEMENT), dialectOf(this.dataSource));
          for (const row of (await queryRows(manager, sql, parameters)) as Array<{ id: string }>) landed.add(row.id);
        }
      });
    }
    this.rowsWritten += landed.size;
    for (const row of rows) {
      if (!landed.has(row.id)) continue;
      this.histories.written(row.userId);
      this.raters.written(row.recipeId);
    }
    return landed;
  }

  /** A user's most recent interactions, newest first; the cap keeps per-request work bounded. */
  async forUser(userId: string, limit = 2000): Promise<InteractionSignal[]> {
    const rows: InteractionRow[] = await queryRows(
      this.dataSource,
      `SELECT user_id, recipe_id, type, preference, at FROM user_interactions WHERE user_id = ? ORDER BY ${NEWEST_FIRST} LIMIT ?`,
      [userId, limit],
    );
    return rows.map(toSignal);
  }

  /**
   * The explicit history of the users who acted on the most of these recipes (not `userId`),
   * capped to `maxUsers` neighbours and `maxRows` rows: per user, most shared first (then by
   * id), each newest first. A user's history is the same array from one list to the next while
   * it is kept, so what a caller works out from it can be kept with it.
   *
   * The neighbours are counted from each recipe's raters, kept like the histories (KeptReads).
   * Counted by SQLite for every list (GROUP BY over the (recipe, type, user) index), they cost
   * 2–10 ms of its time next to 10,000 users and ~300,000 interactions (5,000–20,000 rows for a
   * bench user's 19–69 dishes), and the list waited 4–5 ms for them after its own work.
   *
   * 50 neighbours, not 200: reading their rows is then most of the cost (node-sqlite3 builds an
   * object per row), 23 → 6.6 ms p50 on that catalog (~6,000 → ~1,500 rows), and user-based
   * collaborative filtering is commonly run with 20–50 neighbours. The survey evaluation has 26
   * other respondents, so it is unchanged.
   */
  async neighbourhood(
    userId: string,
    recipeIds: string[],
    maxUsers = 50,
    maxRows = 20_000,
  ): Promise<Map<string, readonly InteractionSignal[]>> {
    if (recipeIds.length === 0) return new Map();
    const ids = [...new Set(recipeIds)].slice(0, CHUNK);
    const raters = await this.raters.get(ids, (missing) => this.readRaters(missing));
    const users = this.tally.mostShared(raters.values(), userId, maxUsers);
    const histories = await this.histories.get(users, (missing) => this.readHistories(missing));
    const out = new Map(users.map((id) => [id, histories.get(id) ?? []]));
    if ([...out.values()].reduce((n, h) => n + h.length, 0) <= maxRows) return out;
    // Over the cap: the newest rows of them all (a stable sort keeps each user's order on ties).
    const kept = new Set(
      [...out.values()]
        .flat()
        .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
        .slice(0, maxRows),
    );
    return new Map([...out].map(([id, history]) => [id, history.filter((signal) => kept.has(signal))]));
  }

  /** Each recipe's raters, once per explicit interaction, through the (recipe, type, user) index. */
  private async readRaters(recipeIds: string[]): Promise<Map<string, Int32Array>> {
    const rows: Array<{ recipe_id: string; user_id: string }> = await queryRows(
      this.dataSource,
      `SELECT recipe_id, user_id FROM user_interactions
       WHERE recipe_id IN (${recipeIds.map(() => '?').join(', ')}) AND type IN ${EXPLICIT_TYPES}`,
      recipeIds,
    );
    const raters = new Map<string, number[]>();
    for (const row of rows) {
      const users = raters.get(row.recipe_id);
      if (users) users.push(this.tally.number(row.user_id));
      else raters.set(row.recipe_id, [this.tally.number(row.user_id)]);
    }
    return new Map([...raters].map(([recipeId, users]) => [recipeId, Int32Array.from(users)]));
  }

  /**
   * Users' explicit histories, newest first, in one query. Many lists share neighbours (the
   * users with opinions on popular dishes): with 10,000 users on the 100,000-recipe catalog,
   * reading ~1,700 rows for 50 neighbours took ~9 ms of SQLite per list before they were kept.
   */
  private async readHistories(userIds: string[]): Promise<Map<string, InteractionSignal[]>> {
    const out = new Map<string, InteractionSignal[]>();
    for (let i = 0; i < userIds.length; i += CHUNK) {
      const chunk = userIds.slice(i, i + CHUNK);
      const rows: InteractionRow[] = await queryRows(
        this.dataSource,
        `SELECT user_id, recipe_id, type, preference, at FROM user_interactions
         WHERE user_id IN (${chunk.map(() => '?').join(', ')}) AND type IN ${EXPLICIT_TYPES}
         ORDER BY user_id, ${NEWEST_FIRST}`,
        chunk,
      );
      for (const row of rows) {
        const history = out.get(row.user_id);
        if (history) history.push(toSignal(row));
        else out.set(row.user_id, [toSignal(row)]);
      }
    }
    return out;
  }

  /** Recent explicit history of everyone, for popularity; newest first, capped. */
  async recentExplicit(limit = 20_000): Promise<InteractionSignal[]> {
    const rows: InteractionRow[] = await queryRows(
      this.dataSource,
      `SELECT user_id, recipe_id, type, preference, at FROM user_interactions WHERE type IN ${EXPLICIT_TYPES}
       ORDER BY ${NEWEST_FIRST}, user_id LIMIT ?`,
      [limit],
    );
    return rows.map(toSignal);
  }
}

function toSignal(row: InteractionRow): InteractionSignal {
  return { userId: row.user_id, recipeId: row.recipe_id, type: row.type, preference: row.preference, at: row.at };
}

/**
 * Inserts the rows whose recipe exists and returns their ids. Written as a CTE on purpose:
 * TypeORM runs a statement that starts with INSERT without reading rows back, so RETURNING
 * would come back empty.
 */
function insertStatement(rows: UserInteraction[], dialect: SqlDialect): [string, unknown[]] {
  // PostgreSQL types a VALUES list on its own, before the INSERT, and reads untyped parameters
  // as text: the numeric columns say what they are.
  const row =
    dialect === 'postgres'
      ? '(?, ?, ?, ?, CAST(? AS DOUBLE PRECISION), CAST(? AS BIGINT), CAST(? AS DOUBLE PRECISION), ?)'
      : '(?, ?, ?, ?, ?, ?, ?, ?)';
  const values = rows.map(() => row).join(', ');
  return [
    `WITH incoming (id, user_id, recipe_id, type, value, scale, preference, at) AS (VALUES ${values})
     INSERT INTO user_interactions (id, user_id, recipe_id, type, value, scale, preference, at)
     SELECT id, user_id, recipe_id, type, value, scale, preference, at FROM incoming
     WHERE EXISTS (SELECT 1 FROM recipes WHERE recipes.id = incoming.recipe_id)
     RETURNING id`,
    rows.flatMap((r) => [r.id, r.userId, r.recipeId, r.type, r.value ?? null, r.scale ?? null, r.preference ?? null, r.at]),
  ];
}
